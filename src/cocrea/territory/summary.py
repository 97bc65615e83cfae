"""The dashboard's lead paragraph, written from data in the style of the origin document."""

from __future__ import annotations

from collections.abc import Sequence

INITIATIVE_ES = "<em>Gobierno Abierto: Cocreación desde lo local</em>"
INITIATIVE_EN = "<em>Open Government: Co-creation from the Local Level</em>"


def join_es(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    # Spanish uses "e" before words starting with the sound /i/ (e.g. "e Hidalgo").
    last = items[-1]
    conj = "e" if last[:1].lower() in {"i", "í"} or last[:2].lower() == "hi" else "y"
    return f"{', '.join(items[:-1])} {conj} {last}"


def join_en(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def municipal_es(by_entity: dict[str, int]) -> str:
    """The municipalities' sentence, beside the entities' (nothing when none joined)."""
    joined = sum(by_entity.values())
    if not joined:
        return ""
    places = len(by_entity)
    municipios = "municipio" if joined == 1 else "municipios"
    entidades = "entidad" if places == 1 else "entidades"
    verb = "se ha sumado" if joined == 1 else "se han sumado"
    return f" Además, {verb} {joined} {municipios} de {places} {entidades}."


def municipal_en(by_entity: dict[str, int]) -> str:
    joined = sum(by_entity.values())
    if not joined:
        return ""
    places = len(by_entity)
    return (
        f" Also, {joined} municipalit{'y' if joined == 1 else 'ies'} in {places} "
        f"entit{'y' if places == 1 else 'ies'} joined."
    )


def summary_es(total: int, by_year: dict[int, list[str]], participants: dict[str, int]) -> str:
    joined = sum(len(v) for v in by_year.values())
    if not joined:
        return (
            f"A la fecha, ninguna de las {total} entidades federativas se ha sumado a la "
            f"iniciativa {INITIATIVE_ES}."
        )
    verb = "se ha sumado" if joined == 1 else "se han sumado"
    first_year = min(by_year)
    text = (
        f"A la fecha, {joined} de las {total} entidades federativas {verb} a la iniciativa "
        f"{INITIATIVE_ES}, impulsada desde {first_year}."
    )
    parts = []
    for i, (year, names) in enumerate(by_year.items()):
        if i == 0:
            verb_year = "se sumó" if len(names) == 1 else "se sumaron"
            parts.append(f"En {year}, {verb_year} {join_es(names)}")
        else:
            parts.append(f"en {year}, {join_es(names)}")
    if len(parts) == 1:
        text += " " + parts[0] + "."
    else:
        text += " " + "; ".join(parts[:-1]) + ", y " + parts[-1] + "."
    counted = [
        (participants.get("authorities", 0), "autoridad", "autoridades"),
        (participants.get("guarantor_bodies", 0), "organismo garante", "organismos garantes"),
        (
            participants.get("civil_society", 0),
            "organización de la sociedad civil",
            "organizaciones de la sociedad civil",
        ),
        (participants.get("academia", 0), "institución académica", "instituciones académicas"),
    ]
    phrases = [f"{n} {one if n == 1 else many}" for n, one, many in counted if n]
    if phrases:
        text += f" En total, participan {join_es(phrases)}."
    return text


def summary_en(total: int, by_year: dict[int, list[str]], participants: dict[str, int]) -> str:
    joined = sum(len(v) for v in by_year.values())
    if not joined:
        return f"To date, none of the {total} federal entities has joined {INITIATIVE_EN}."
    text = (
        f"To date, {joined} of the {total} federal entities have joined {INITIATIVE_EN}, "
        f"promoted since {min(by_year)}."
    )
    parts = [f"in {year}, {join_en(names)}" for year, names in by_year.items()]
    parts[0] = parts[0][0].upper() + parts[0][1:]
    text += " " + "; ".join(parts) + "."
    counted = [
        (participants.get("authorities", 0), "authorities"),
        (participants.get("guarantor_bodies", 0), "guarantor bodies"),
        (participants.get("civil_society", 0), "civil-society organisations"),
        (participants.get("academia", 0), "academic institutions"),
    ]
    phrases = [f"{n} {label}" for n, label in counted if n]
    if phrases:
        text += f" In all, {join_en(phrases)} take part."
    return text
