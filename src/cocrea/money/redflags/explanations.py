"""Explanations of each red flag, for the web pages (process, buyer and supplier).

Written for citizens, in Spanish (translated like the rest of the interface): what the flag
means, why it matters and what its number is. A flag is a signal to look closer, never proof
of wrongdoing; `DISCLAIMER` says so on every page. `EXPLANATIONS` and `GROUP_LABELS` give
plain strings in the active language (for JSON as well as for templates); importing this
module needs no Django settings, so the red-flag command line stays Django-free.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

DISCLAIMER = _(
    "Una bandera roja es una señal para revisar con más atención, no una prueba de "
    "irregularidad. Puede tener explicaciones legítimas o deberse a datos incompletos."
)

_GROUP_LABELS = {
    "OCID": _("Proceso de contratación"),
    "Buyer": _("Comprador"),
    "ProcuringEntity": _("Entidad contratante"),
    "Tenderer": _("Licitante o proveedor"),
}

_EXPLANATIONS: dict[str, dict[str, Any]] = {
    "R003": {
        "title": _("Plazo corto para presentar ofertas"),
        "description": _(
            "Entre la publicación de la convocatoria y la fecha límite para entregar ofertas "
            "pasaron menos días de los que se consideran razonables (15 días, salvo que la "
            "configuración fije otro mínimo para ese tipo de procedimiento). Un plazo tan breve "
            "puede favorecer a quien supo de la oportunidad antes que los demás."
        ),
        "value": _("Siempre 1: el proceso tiene la señal."),
    },
    "R018": {
        "title": _("Una sola oferta en un procedimiento competitivo"),
        "description": _(
            "El procedimiento era abierto o por invitación, pero solo un licitante presentó "
            "oferta. Cuando se espera competencia y no la hay, conviene revisar si las "
            "condiciones de la convocatoria desalentaron a otros participantes."
        ),
        "value": _("Siempre 1: el proceso tiene la señal."),
    },
    "R024": {
        "title": _("Precio muy cercano al de la oferta ganadora"),
        "description": _(
            "La segunda oferta válida más baja es apenas superior a la ganadora: la diferencia "
            "porcentual es inusualmente pequeña comparada con el resto de los procesos. Puede "
            "indicar una competencia simulada entre licitantes coordinados. También se señala "
            "a la empresa ganadora y a la segunda."
        ),
        "value": _(
            "En el proceso, la diferencia relativa entre la segunda oferta y la ganadora "
            "(0.01 = 1 %). En los licitantes, 0."
        ),
    },
    "R025": {
        "title": _("Demasiadas ofertas perdedoras"),
        "description": _(
            "Un licitante que participa en muchísimos procesos gana una proporción "
            "inusualmente baja de ellos. Presentar ofertas destinadas a perder puede servir "
            "para aparentar competencia a favor de otro participante."
        ),
        "value": _("La proporción de ofertas ganadas entre ofertas válidas presentadas."),
    },
    "R028": {
        "title": _("Ofertas con precios idénticos"),
        "description": _(
            "Licitantes distintos presentaron ofertas exactamente con el mismo precio en un "
            "mismo proceso. Puede deberse a que alguien conoció los precios de los demás o a "
            "un acuerdo entre participantes. Se señala al proceso y a esos licitantes."
        ),
        "value": _("Siempre 1: tiene la señal."),
    },
    "R030": {
        "title": _("Ganó una oferta entregada fuera de plazo"),
        "description": _(
            "Una oferta válida se recibió después de la fecha límite y su licitante obtuvo la "
            "adjudicación. Aceptar ofertas tardías puede dar ventaja a quien conoció las "
            "ofertas de los demás. Se señala al proceso y al ganador."
        ),
        "value": _("Siempre 1: tiene la señal."),
    },
    "R035": {
        "title": _("Todas las ofertas descalificadas salvo la ganadora"),
        "description": _(
            "Solo un licitante quedó con ofertas válidas, fue quien ganó, y las ofertas de los "
            "demás se descalificaron. Descalificar a la competencia es una forma de dirigir la "
            "adjudicación. Se señala al proceso y al ganador."
        ),
        "value": _(
            "En el proceso, cuántos licitantes distintos fueron descalificados. En el ganador, 0."
        ),
    },
    "R036": {
        "title": _("Se descalificó la oferta más baja"),
        "description": _(
            "La oferta con el precio más bajo fue descalificada y hubo adjudicación a otra "
            "oferta válida. Cuando el precio es el criterio de adjudicación, conviene conocer "
            "los motivos de esa descalificación."
        ),
        "value": _("Siempre 1: el proceso tiene la señal."),
    },
    "R038": {
        "title": _("Proporción excesiva de ofertas descalificadas"),
        "description": _(
            "La proporción de ofertas descalificadas es inusualmente alta comparada con la de "
            "otros compradores, entidades contratantes o licitantes. En un comprador puede "
            "indicar que se excluye a participantes para favorecer a otros; en un licitante, "
            "que presenta ofertas para aparentar competencia."
        ),
        "value": _("La proporción de ofertas descalificadas entre las ofertas presentadas."),
    },
    "R048": {
        "title": _("Proveedor de giros muy diversos"),
        "description": _(
            "El proveedor ha sido adjudicado con bienes o servicios de muchas categorías "
            "distintas, muchas más que la mayoría de los proveedores. Un proveedor que vende "
            "de todo puede no ser especialista en lo que entrega y funcionar como intermediario."
        ),
        "value": _("El número de categorías distintas de lo adjudicado al proveedor."),
    },
    "R058": {
        "title": _("Oferta ganadora con descuento muy grande"),
        "description": _(
            "La oferta ganadora es muchísimo más baja que la segunda oferta válida, más de lo "
            "habitual en otros procesos. Un precio anormalmente bajo puede anticipar "
            "incumplimientos, baja calidad o modificaciones posteriores del contrato. Se "
            "señala al proceso y al ganador."
        ),
        "value": _(
            "En el proceso, la diferencia relativa entre la segunda oferta y la ganadora "
            "(0.5 = 50 %). En el ganador, 0."
        ),
    },
}


class _Resolved(Mapping):
    """A read-only view of translatable texts that gives them as strings, translated into the
    active language when read."""

    def __init__(self, texts: dict[str, Any]):
        self._texts = texts

    def __getitem__(self, key: str) -> Any:
        value = self._texts[key]
        if isinstance(value, dict):
            return {k: str(v) for k, v in value.items()}
        return str(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


EXPLANATIONS: Mapping[str, dict[str, str]] = _Resolved(_EXPLANATIONS)
GROUP_LABELS: Mapping[str, str] = _Resolved(_GROUP_LABELS)


def explain(code: str) -> dict[str, str]:
    """The explanation of an indicator code (KeyError if unknown)."""
    return EXPLANATIONS[code]


def describe(codes: dict[str, float]) -> list[dict]:
    """The flags of one process or organization ({code: value}), explained, in code order.

    Each entry has `code`, `value`, `title`, `description` and `value_meaning`; unknown codes
    are skipped.
    """
    out = []
    for code in sorted(codes):
        text = EXPLANATIONS.get(code)
        if text is None:
            continue
        out.append(
            {
                "code": code,
                "value": codes[code],
                "title": text["title"],
                "description": text["description"],
                "value_meaning": text["value"],
            }
        )
    return out
