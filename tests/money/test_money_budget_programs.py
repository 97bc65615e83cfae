"""Programmes: permissions, audit, hand links, and flows rebuilt from `cocrea money import`."""

from __future__ import annotations

import io

import orjson
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from cocrea.core.models import AuditEntry
from cocrea.money import demo, services
from cocrea.money.analytics import database, figures, flows, flows_snapshot
from cocrea.money.models import ProgramProcess

pytestmark = pytest.mark.django_db


def test_members_edit_only_their_entity(users, reference):
    morelos, jalisco = reference["17"], reference["14"]
    fields = {"name": "Agua", "clave_programa": "E012", "year_start": 2025}
    program = services.create_program(users["member"], entity=morelos, **fields)
    assert AuditEntry.objects.filter(action="money.program.create").count() == 1
    with pytest.raises(PermissionDenied):
        services.create_program(users["member"], entity=jalisco, **fields)
    with pytest.raises(PermissionDenied):
        services.update_program(users["other_member"], program, name="Otro")
    with pytest.raises(PermissionDenied):
        services.import_budget(users["member"], io.BytesIO(b""), "x")
    services.update_program(users["coordinator"], program, name="Agua potable")
    program.refresh_from_db()
    assert program.name == "Agua potable"
    with pytest.raises(ValidationError):
        services.update_program(None, program, year_end=2020)


def test_hand_links(users, reference):
    program = services.create_program(
        None, entity=reference["17"], name="Agua", clave_programa="E012", year_start=2025
    )
    services.link_process(users["member"], program, "ocds-abc123-0001", "obra")
    services.link_process(users["member"], program, "ocds-abc123-0001")  # idempotent
    assert ProgramProcess.objects.filter(program=program).count() == 1
    with pytest.raises(ValidationError):
        services.link_process(users["member"], program, "no es un ocid")
    with pytest.raises(PermissionDenied):
        services.link_process(users["other_member"], program, "ocds-abc123-0002")
    assert services.unlink_process(users["member"], program, "ocds-abc123-0001")
    assert AuditEntry.objects.filter(action__startswith="money.program.").count() == 3


def test_commitment_of_another_entity_is_rejected(reference):
    from money_demo_fixture import make_commitment

    commitment = make_commitment(reference["14"])
    with pytest.raises(ValidationError):
        services.create_program(
            None, entity=reference["17"], name="X", clave_programa="X1", year_start=2025,
            commitment=commitment,
        )  # fmt: skip


def test_money_import_command_feeds_the_flows(settings, tmp_path, reference):
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    releases, _budget = demo.build(7, [("17", "Morelos")])
    path = tmp_path / "compiled.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in releases))
    call_command(
        "money", "import", str(path), "--source", "prueba", "--entity", "17", "--no-progress",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    con = database.connect()  # rebuilds the flows tables from the new store snapshot
    try:
        summary = figures.summary(con, database.Scope(entity="17"))
        flagged = con.execute("SELECT count(DISTINCT key) FROM flags WHERE grp='OCID'").fetchone()
    finally:
        con.close()
    assert summary["processes"] == len(releases)
    assert flagged[0] >= 6
    assert flows_snapshot.derived_from() is not None
    assert flows.sync_from_store() is None  # up to date: nothing to do


def test_budget_import_keeps_contracting_data_and_flows(settings, tmp_path, reference):
    """Budget and OCDS imports share the store's snapshots; neither drops the other."""
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    releases, budget_csv = demo.build(7, [("17", "Morelos")])
    path = tmp_path / "compiled.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in releases))
    out = io.StringIO()
    call_command(
        "money", "import", str(path), "--source", "ocds", "--no-progress",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    # `money import` derives the flows and red flags itself: nothing is left to rebuild.
    assert f"flows         {len(releases)} processes" in out.getvalue()
    assert flows_snapshot.derived_from() is not None
    assert flows.sync_from_store() is None
    signature = flows_snapshot.derived_from()
    services.import_budget(None, io.BytesIO(budget_csv.encode()), "presupuesto")
    assert flows.sync_from_store() is None  # compiled releases unchanged: no rebuild
    assert flows_snapshot.derived_from() == signature
    con = database.connect()
    try:
        funnel = figures.funnel(con, database.Scope(entity="17"))
        summary = figures.summary(con, database.Scope(entity="17"))
    finally:
        con.close()
    assert funnel[0]["amount"] > 0
    # Entity from the buyer's region (no --entity given).
    assert summary["processes"] == len(releases)


def test_admin_goes_through_the_services(client, users, reference):
    from cocrea.money.models import Program

    client.force_login(users["member"])
    data = {
        "entity": reference["17"].pk,
        "name": "Agua potable",
        "clave_programa": "E012",
        "year_start": "2025",
        "year_end": "",
        "description": "",
        "commitment": "",
        "processes-TOTAL_FORMS": "1",
        "processes-INITIAL_FORMS": "0",
        "processes-MIN_NUM_FORMS": "0",
        "processes-MAX_NUM_FORMS": "1000",
        "processes-0-ocid": "ocds-abc123-0009",
        "processes-0-note": "a mano",
    }
    response = client.post("/admin/money/program/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    program = Program.objects.get(clave_programa="E012")
    assert list(program.processes.values_list("ocid", "note")) == [("ocds-abc123-0009", "a mano")]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"money.program.create", "money.program.link"} <= actions
    # A member of another entity does not even see it.
    client.force_login(users["other_member"])
    assert client.get(f"/admin/money/program/{program.pk}/change/").status_code in (302, 403, 404)


def test_big_stores_are_synced_by_the_command(settings, tmp_path, reference):
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    releases, _budget = demo.build(7, [("17", "Morelos")])
    path = tmp_path / "compiled.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in releases))
    from cocrea.money.ocds.importer import import_ocds

    # The store alone (as another tool might write it), without the flows `money import` derives.
    import_ocds([path], "ocds", entity="17")
    con = database.connect()  # pages only read: the flows are not derived yet
    try:
        assert figures.summary(con, database.Scope(entity="17"))["processes"] == 0
    finally:
        con.close()
    out = io.StringIO()
    call_command("money_sync_flows", stdout=out)
    assert f"flujos: {len(releases)} procesos" in out.getvalue()
    out = io.StringIO()
    call_command("money_sync_flows", stdout=out)
    assert "al día" in out.getvalue()
    con = database.connect()
    try:
        assert figures.summary(con, database.Scope(entity="17"))["processes"] == len(releases)
    finally:
        con.close()
