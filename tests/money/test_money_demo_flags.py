"""The money demo triggers every red flag and every consistency check, and the process, buyer,
supplier and entity pages show each one with its Spanish explanation.

The demo is loaded as `cocrea demo` loads it (store import, flows rebuild, red flags in their
child process), on PostgreSQL, with real Parquet and DuckDB; the red flags are those of the
Cardinal-compatible engine with its default settings.
"""

from __future__ import annotations

import pytest
from django.utils.html import escape
from money_demo_fixture import load_demo

from cocrea.money import demo
from cocrea.money.analytics import database, findings
from cocrea.money.redflags import CODES, DISCLAIMER, EXPLANATIONS, GROUP_LABELS, compute

CHECK_CODES = {
    "momentos",
    "pago_mayor",
    "pago_antes_firma",
    "beneficiario_distinto",
    "directas_concentradas",
    "pico_diciembre",
}
PAGES = {
    "OCID": "procesos",
    "Buyer": "compradores",
    "ProcuringEntity": "compradores",
    "Tenderer": "proveedores",
}
ENTITY_SETS = [
    [("17", "Morelos")],
    [("17", "Morelos"), ("14", "Jalisco")],
    [("17", "Morelos"), ("14", "Jalisco"), ("20", "Oaxaca")],
    [("17", "Morelos"), ("14", "Jalisco"), ("01", "Aguascalientes"), ("02", "Baja California")],
]


def _fired(result: dict) -> dict[str, set[str]]:
    """{code: {groups it fired in}} of an engine result."""
    out: dict[str, set[str]] = {}
    for group in PAGES:
        for codes in result.get(group, {}).values():
            for code in codes:
                out.setdefault(code, set()).add(group)
    return out


@pytest.mark.parametrize("entities", ENTITY_SETS, ids=lambda e: "-".join(c for c, _ in e))
def test_demo_releases_fire_every_indicator_whatever_the_entities(entities):
    """However many entities the demo covers (the loader takes up to four), all 11 fire."""
    releases, _budget = demo.build(2018, entities)
    fired = _fired(compute(releases, meta=False))
    assert set(fired) == set(CODES)
    # The outlier indicators fire on the organizations built for them.
    result = compute(releases, meta=False)
    cover = f"MX-RFC-D17{demo.COVER:06d}"
    disqualified = f"MX-RFC-D17{demo.DISQUALIFIED:06d}"
    assert 0 < result["Tenderer"][cover]["R025"] < 0.1  # won 1 of its many bids
    assert result["Tenderer"][disqualified]["R038"] == 1.0  # every bid disqualified
    for code, _name in entities:
        assert result["Tenderer"][f"MX-RFC-D{code}000019"]["R048"] == 7.0  # seven segments
    if len(entities) > 1:  # three buyers alone are too few for an outlier among them
        assert result["Buyer"]["MX-RFC-CEA170101AA1"]["R038"] > 0.3
        assert result["ProcuringEntity"]["MX-RFC-CEA170101AA1"]["R038"] > 0.3
    # A few flagged processes, not most of them.
    assert len(result["OCID"]) <= 12


def test_demo_is_deterministic_and_plausible():
    entities = ENTITY_SETS[1]
    releases, budget_csv = demo.build(2018, entities)
    assert (releases, budget_csv) == demo.build(2018, entities)
    assert demo.build(2019, entities)[0] != releases
    claves = {p[0] for p in demo.PROGRAMS}
    for release in releases:
        assert release["planning"]["budget"]["projectID"] in claves
        assert "2024-01-01" <= release["date"][:10] <= "2026-12-31"
        for award in release["awards"]:
            assert award["value"]["currency"] == "MXN"
            assert 10_000 < award["value"]["amount"] < 10_000_000
            assert award["items"][0]["classification"]["scheme"] == "UNSPSC"
        for party in release["parties"]:
            assert party["address"]["countryName"] == "México"


@pytest.mark.django_db
def test_every_flag_is_shown_with_its_explanation(
    client, settings, tmp_path, reference, django_assert_max_num_queries
):
    load_demo(settings, tmp_path, reference)
    con = database.connect()
    try:
        rows = con.execute(
            "SELECT code, grp, min(key) FROM flags GROUP BY code, grp ORDER BY code, grp"
        ).fetchall()
    finally:
        con.close()
    assert {code for code, _grp, _key in rows} == set(CODES)
    groups = {(code, grp) for code, grp, _key in rows}
    assert {("R025", "Tenderer"), ("R038", "Buyer"), ("R038", "Tenderer")} <= groups
    assert ("R048", "Tenderer") in groups
    for code, grp, key in rows:
        with django_assert_max_num_queries(10):
            response = client.get(f"/sigue-el-dinero/{PAGES[grp]}/{key}/")
        assert response.status_code == 200, (code, grp, key)
        text = response.content.decode()
        info = EXPLANATIONS[code]
        heading = f'<span class="tag">{code}</span> {escape(info["title"])}'
        assert heading in text, (code, grp, key)
        assert escape(info["description"]) in text, (code, grp, key)
        assert escape(str(GROUP_LABELS[grp])) in text
        assert escape(str(DISCLAIMER)) in text


@pytest.mark.django_db
def test_every_check_has_findings_on_its_pages(client, settings, tmp_path, reference):
    load_demo(settings, tmp_path, reference)
    con = database.connect()
    try:
        checks = {c["code"]: c for c in findings.checks(con, database.Scope(entity="17"))}
    finally:
        con.close()
    assert set(checks) == CHECK_CODES
    assert [code for code, c in checks.items() if not c["findings"]] == []

    # The entity page lists every check with its explanation, each with findings.
    text = client.get("/sigue-el-dinero/morelos/").content.decode()
    for code, check in checks.items():
        assert f'<article class="mo-check" id="check-{code}">' in text, code
        assert escape(check["title"]) in text
        assert escape(check["explanation"]) in text

    # The checks of one process (its payments) are on the process page.
    for code in ("pago_mayor", "pago_antes_firma", "beneficiario_distinto"):
        ocid = checks[code]["findings"][0]["ocid"]
        text = client.get(f"/sigue-el-dinero/procesos/{ocid}/").content.decode()
        assert f'<article class="mo-check" id="check-{code}">' in text, code
        assert escape(checks[code]["explanation"]) in text

    # Direct awards concentrated: the buyer and the supplier of the finding.
    finding = checks["directas_concentradas"]["findings"][0]
    assert finding["buyer_id"] == "MX-RFC-SE170101AA1"
    assert finding["supplier_id"] == "MX-RFC-D17000007"
    assert client.get(f"/sigue-el-dinero/compradores/{finding['buyer_id']}/").status_code == 200
    # December spike in 2024, paid more than exercised in E031 (2025).
    assert [f["label"] for f in checks["pico_diciembre"]["findings"]] == ["2024"]
    assert any(f["clave"] == "E031" for f in checks["momentos"]["findings"])
