"""A permission matrix that cannot go stale (issue 14, point 5).

The write paths are enumerated from the running configuration, never from a list kept by
hand: the URL configuration, the API's routers (OpenAPI), the back office's registered
models, actions and custom URLs, and the CLI's commands and importers. Each must be
classified in `matrix_cases` (a write with its rule, or a read); a new path fails the
enumeration tests until it is. Every write then runs for every principal against an
object in Morelos (entity 17) and must do exactly what the rule answers: allowed, it
succeeds and leaves its audit entry (or its row); refused, it is answered 403 or sent to
a login page (or, where the page reports refusals as a message, it just writes nothing).

Each principal's cell runs inside its own savepoint, rolled back afterwards, so every
cell starts from the same Morelos. `pytest -s` prints the size of the matrix.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import get_commands
from django.db import transaction
from django.test import Client, RequestFactory, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "events"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import matrix_cases as mc  # noqa: E402
from events_helpers import make_open_event  # noqa: E402
from participation_helpers import make_citizen, make_process  # noqa: E402

from cocrea import cli  # noqa: E402
from cocrea.accounts import selectors as memberships  # noqa: E402
from cocrea.core.csvimport import ImportFailed  # noqa: E402
from cocrea.core.models import AuditEntry  # noqa: E402
from cocrea.core.registry import IMPORTERS  # noqa: E402
from cocrea.participation import services as participation_services  # noqa: E402

pytestmark = pytest.mark.django_db

# gov17 / cso17: the two sides of Morelos' secretariat (the targets live in Morelos);
# gov14: a seat in Jalisco (another entity); mun17: a seat in the secretariat of
# Cuernavaca, a municipality of Morelos (same entity, another level).
PRINCIPALS = [
    "anonymous", "citizen", "evaluator", "coordinator", "gov17", "cso17", "gov14", "mun17",
]  # fmt: skip
READ_METHODS = {"get", "head", "options"}
ADMIN_OPS = ("add", "change", "delete")
# Django's own back-office URLs of every model: the ops above, plus pages that read.
ADMIN_DEFAULT_URLS = {"changelist", "add", "change", "delete", "history", None}


# ----------------------------------------------------------------------------- the world


@pytest.fixture
def world(users, morelos, reference, settings, tmp_path):
    settings.COCREA_MONEY_DIR = tmp_path / "money"
    entity = morelos["entity"]
    citizen = make_citizen("vecina")
    author = make_citizen("autora")
    process = make_process(entity)
    proposal = participation_services.submit_proposal(
        process,
        actor=author,
        kind="propuesta",
        title="Presupuesto municipal en datos abiertos",
        body="Publicar cada trimestre el gasto.",
        affected_population="Población general",
        municipality="Cuernavaca",
        theme="presupuesto",
    )
    from cocrea.participation.models import WorkingTable

    table = WorkingTable.objects.create(
        process=process, title="Mesa de presupuesto", starts_at="2030-01-01T10:00:00Z"
    )
    from cocrea.territory.models import Municipality

    cuernavaca = Municipality.objects.get_or_create(
        code="17007", defaults={"entity": entity, "name": "Cuernavaca", "slug": "cuernavaca"}
    )[0]
    people = {
        "anonymous": AnonymousUser(),
        "citizen": citizen,
        "evaluator": users["evaluator"],
        "coordinator": users["coordinator"],
        "gov17": morelos["gov_user"],
        "cso17": morelos["cso_user"],
        "gov14": users["other_member"],
        "mun17": _municipal_member(entity, cuernavaca),
    }
    from cocrea.accounts.models import User

    return SimpleNamespace(
        **morelos,
        people=people,
        person=None,
        allowed={},
        gov17=people["gov17"],
        cso17=people["cso17"],
        citizen=citizen,
        author=author,
        process=process,
        proposal=proposal,
        table=table,
        cuernavaca=cuernavaca,
        event=make_open_event(slug="cumbre-morelos", entity=entity),
        guarantor=morelos["gov_user"].memberships.get().organization,
        root=User.objects.create_superuser("raiz", "raiz@example.org", "contrasena-raiz-1"),
    )


def _municipal_member(entity, cuernavaca):
    from cocrea.accounts.models import Role, Side, User
    from cocrea.accounts.services import grant

    user = User.objects.create_user(
        "cuernavaca17", "cuernavaca17@example.org", "contrasena-de-prueba-1", is_staff=True
    )
    grant(user, Role.SECRETARIAT_MEMBER, actor=None, entity=entity, municipality=cuernavaca,
          side=Side.GOVERNMENT)  # fmt: skip
    return user


# ----------------------------------------------------------------------------- one cell


def _may(person, perm, obj) -> bool:
    """The rule's answer; `None` is a path anyone may use."""
    if perm is None:
        return True
    memberships.forget(person)
    return bool(person.has_perm(perm, obj))


def _last_audit() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _to_login(response) -> bool:
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return "/login/" in location or "/cuenta/entrar/" in location


def _send(client, target):
    if target.json is not None:
        return client.post(target.url, target.json, content_type="application/json")
    if target.method == "get":
        return client.get(target.url)
    return client.post(target.url, target.data or {})


def _cell(client, world, case, who) -> str | None:
    """Run one case as one principal; return what went wrong, or None."""
    person = world.people[who]
    sid = transaction.savepoint()
    try:
        cache.clear()
        mail.outbox = []
        world.person = person
        target = case.build(world)
        if case.name in WRITE_NAMES and resolve(target.url.split("?")[0]).view_name != case.name:
            return f"{who}: {target.url} is not {case.name}"
        expected = _may(person, case.perm, target.obj) and (
            case.also is None or not person.is_authenticated or case.also(person, target)
        )
        world.allowed[who] = expected
        client.logout()
        if person.is_authenticated:
            client.force_login(person)
        target.state.update(audit=_last_audit(), pk=person.pk)
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = _send(client, target)
        wrote = case.check(target, response)
        audited = AuditEntry.objects.filter(pk__gt=target.state["audit"]).exists()
        status = response.status_code
        if status >= 500:
            return f"{who}: server error {status}"
        if expected:
            ok = status < 400 and (case.then_login or not _to_login(response))
            if not (ok and wrote and (audited or not case.audited)):
                return (
                    f"{who}: the rule allows, but status={status} wrote={wrote} "
                    f"audited={audited} {response.get('Location', '')}"
                )
        else:
            refused = status in (401, 403) or _to_login(response) or (case.soft and status < 500)
            if not refused or wrote or audited:
                return (
                    f"{who}: the rule refuses, but status={status} wrote={wrote} audited={audited}"
                )
        return None
    finally:
        transaction.savepoint_rollback(sid)
        world.person = None


# case id -> the principals the rule allowed (printed by test_matrix_size)
ALLOWED: dict[str, list[str]] = {}


def _run_case(world, case) -> None:
    client = Client()
    problems = [p for who in PRINCIPALS if (p := _cell(client, world, case, who))]
    ALLOWED[case.id] = [w for w in PRINCIPALS if world.allowed.get(w)]
    assert not problems, f"{case.id} ({case.perm}):\n  " + "\n  ".join(problems)


# ----------------------------------------------------------------------------- enumeration


def url_names() -> set[str]:
    """Every named public URL (the back office and the API are enumerated on their own)."""
    names = set()

    def walk(resolver, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                route = str(entry.pattern)
                if route.startswith(("admin/", "api/")):
                    continue
                inner = ":".join(n for n in (namespace, entry.namespace) if n)
                walk(entry, inner or None)
            elif isinstance(entry, URLPattern) and entry.name:
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)

    walk(get_resolver(), None)
    return names


def api_writes() -> set[str]:
    from cocrea.api.main import api

    return {
        op["operationId"]
        for ops in api.get_openapi_schema()["paths"].values()
        for method, op in ops.items()
        if method.lower() not in READ_METHODS
    }


def admin_paths() -> set[str]:
    """model:op for the default ops, model:action:X and model:url:X for the custom ones."""
    request = RequestFactory().get("/admin/")
    request.user = SimpleNamespace(
        is_active=True, is_staff=True, is_superuser=True, pk=0, has_perm=lambda *a: True
    )
    paths = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        paths.update(f"{label}:{op}" for op in ADMIN_OPS)
        actions = model_admin.get_actions(request)
        paths.update(f"{label}:action:{name}" for name in actions if name != "delete_selected")
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for url in model_admin.get_urls():
            default = url.name is None or (
                url.name.startswith(prefix) and url.name[len(prefix) :] in ADMIN_DEFAULT_URLS
            )
            if not default:
                paths.add(f"{label}:url:{url.name}")
    return paths


def cli_commands() -> set[str]:
    """Cocrea's management commands, the `cocrea` console's own, and the importers."""
    names = {name for name, app in get_commands().items() if app.startswith("cocrea")}
    source = Path(cli.__file__).read_text(encoding="utf-8")
    names |= set(re.findall(r'command == "([\w-]+)"', source))
    names |= set(re.findall(r"^\s+cocrea ([\w-]+)", cli.__doc__, flags=re.M))
    names |= {f"import:{kind}" for kind in IMPORTERS}
    return names


def _unclassified(found: set[str], *tables) -> tuple[set[str], set[str]]:
    known = [set(t) for t in tables]
    missing = {n for n in found if not any(n in t for t in known)}
    twice = {n for n in found if sum(n in t for t in known) > 1}
    return missing, twice


WRITE_NAMES = {c.name for c in mc.WRITES}
ADMIN_WRITE_NAMES = {c.name for c in mc.ADMIN_WRITES}
ADMIN_DEFAULT_NAMES = {f"{m}:{op}" for m in mc.ADMIN_TARGETS for op in ADMIN_OPS}


def test_every_url_is_a_classified_write_or_read():
    missing, twice = _unclassified(url_names(), WRITE_NAMES, mc.READS)
    assert not missing, f"URL names with no rule in the matrix (add to WRITES or READS): {missing}"
    assert not twice, f"URL names both a write and a read: {twice}"
    assert not (WRITE_NAMES | set(mc.READS)) - url_names(), "stale names in the matrix"


def test_every_api_write_has_a_rule():
    api_names = {c.name for c in mc.API}
    assert api_writes() == api_names, f"unclassified API writes: {api_writes() - api_names}"


def test_every_back_office_path_has_a_rule():
    missing, twice = _unclassified(
        admin_paths(), ADMIN_DEFAULT_NAMES, ADMIN_WRITE_NAMES, mc.ADMIN_READS
    )
    assert not missing, f"back-office paths with no rule in the matrix: {sorted(missing)}"
    assert not twice
    stale = (ADMIN_DEFAULT_NAMES | ADMIN_WRITE_NAMES | set(mc.ADMIN_READS)) - admin_paths()
    assert not stale, f"stale back-office paths in the matrix: {stale}"


def test_every_command_is_classified():
    missing, twice = _unclassified(cli_commands(), mc.CLI_WRITES, mc.CLI_SYSTEM, mc.CLI_READS)
    assert not missing, f"CLI commands with no rule in the matrix: {sorted(missing)}"
    assert not twice


# ----------------------------------------------------------------------------- URL and API


@pytest.mark.parametrize("case", mc.WRITES + mc.API, ids=lambda c: c.id)
def test_write_path_answers_as_the_rule(world, case):
    _run_case(world, case)


def test_reads_write_nothing(world):
    """A POST by the coordinator to every read page leaves no audit entry and no 5xx."""
    client = Client()
    problems = []
    for name, example in sorted(mc.READS.items()):
        if example is None:
            continue
        sid = transaction.savepoint()
        try:
            client.force_login(world.people["coordinator"])
            url = example(world)
            last = _last_audit()
            if (view := resolve(url.split("?")[0]).view_name) != name:
                problems.append(f"{name}: the example {url} is {view}")
            response = client.post(url, {"language": "es"})
            if response.status_code >= 500:
                problems.append(f"{name}: {response.status_code}")
            if AuditEntry.objects.filter(pk__gt=last).exists():
                problems.append(f"{name}: a POST left an audit entry")
        finally:
            transaction.savepoint_rollback(sid)
    assert not problems, problems


def test_two_keys(world):
    """The two keys, spelled out: who reports and who validates a government milestone."""
    report = mc._pending_report(world)
    reporters = {
        w for w in PRINCIPALS if _may(world.people[w], "plans.report_progress", world.gov_milestone)
    }
    validators = {w for w in PRINCIPALS if _may(world.people[w], "plans.validate_report", report)}
    assert reporters == {"gov17"}
    assert validators == {"cso17"}
    assert not _may(world.people["cso17"], "plans.report_progress", world.gov_milestone)
    assert _may(world.people["cso17"], "plans.report_progress", world.cso_milestone)


# ----------------------------------------------------------------------------- back office


class _FormFields(HTMLParser):
    """The fields of an admin change form as a browser would post them back."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(a.get("value") or default)
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data


def _admin_request(person):
    request = RequestFactory().get("/admin/")
    request.user = person
    return request


def _admin_change_data(world, url) -> dict:
    client = Client()
    client.force_login(world.root)
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {k: v if len(v) != 1 else v[0] for k, v in parser.data.items()}
    data["_save"] = "Guardar"
    return data


def _form_errors(response) -> str:
    context = response.context or {}
    errors = []
    if context.get("adminform"):
        errors.append(context["adminform"].form.errors.as_text())
    for inline in context.get("inline_admin_formsets") or []:
        errors.extend(str(e) for e in inline.formset.errors if e)
        errors.extend(inline.formset.non_form_errors())
    return " ".join(e for e in errors if e)


def _audit_problems(label, op, who, done, allowed, last) -> list[str]:
    """A refused request leaves no audit entry; an allowed one leaves one (or is listed)."""
    audited = AuditEntry.objects.filter(pk__gt=last).exists()
    if not allowed and audited:
        return [f"{who} {op} view: refused but audited"]
    if done and not audited and f"{label}:{op}" not in mc.ADMIN_UNAUDITED:
        return [f"{who} {op} view: saved without an audit entry"]
    return []


def _admin_cell(world, label, who) -> list[str]:
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)
    app, name = label.split(".")
    person = world.people[who]
    problems = []
    sid = transaction.savepoint()
    try:
        world.person = person
        obj = mc.ADMIN_TARGETS[label](world)
        request = _admin_request(person)
        answers = {
            "add": (model_admin.has_add_permission(request), None),
            "change": (model_admin.has_change_permission(request, obj), obj),
            "delete": (model_admin.has_delete_permission(request, obj), obj),
        }

        def closed(op):
            return f"{label}:{op}" in mc.ADMIN_CLOSED

        for op, (answer, asked) in answers.items():
            expected = _may(person, f"{app}.{op}_{name}", asked) and not closed(op)
            if bool(answer) != expected:
                problems.append(f"{who} {op}: the back office says {answer}, the rule {expected}")
        base = f"/admin/{app}/{name}/{obj.pk}/"
        staff = person.is_authenticated and person.is_active and person.is_staff
        client = Client()
        if person.is_authenticated:
            client.force_login(person)
        # change: the form posted back as is
        data = _admin_change_data(world, base + "change/")
        last = _last_audit()
        response = client.post(base + "change/", data)
        allowed = staff and answers["change"][0] and not closed("change")
        saved = response.status_code == 302 and response["Location"].split("?")[0] == (
            f"/admin/{app}/{name}/"
        )
        if saved != allowed:
            problems.append(
                f"{who} change view: status {response.status_code}, allowed={allowed} "
                f"{response.get('Location', '')} {_form_errors(response)}"
            )
        # (an unchanged form may save nothing, so only a refusal is checked for its audit)
        problems += _audit_problems(label, "change", who, False, allowed, last)
        # delete
        last = _last_audit()
        response = client.post(base + "delete/", {"post": "yes"})
        gone = not type(obj).objects.filter(pk=obj.pk).exists()
        allowed = staff and answers["delete"][0] and not closed("delete")
        if gone != allowed:
            problems.append(f"{who} delete view: status {response.status_code}, gone={gone}")
        problems += _audit_problems(label, "delete", who, allowed and gone, allowed, last)
    finally:
        transaction.savepoint_rollback(sid)
        world.person = None
    return problems


@pytest.mark.parametrize("label", sorted(mc.ADMIN_TARGETS))
def test_back_office_model_answers_as_the_rule(world, label):
    problems = [p for who in PRINCIPALS for p in _admin_cell(world, label, who)]
    assert not problems, f"{label}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("case", mc.ADMIN_WRITES, ids=lambda c: c.id)
def test_back_office_action_answers_as_the_rule(world, case):
    _run_case(world, _staff_only(case))


def _staff_only(case):
    """The back office lets in staff only: a rule that allows a non-staff person stays shut."""
    from dataclasses import replace

    rule = case.also
    return replace(
        case,
        soft=True,
        also=lambda person, target: person.is_staff and (rule is None or rule(person, target)),
    )


# ----------------------------------------------------------------------------- CLI


@pytest.mark.parametrize("name", sorted(mc.CLI_WRITES))
def test_command_service_answers_as_the_rule(world, name):
    """Commands run as the system (actor None); their service refuses people as the rule does."""
    case = mc.CLI_WRITES[name]
    problems = []
    for who in [*PRINCIPALS, "system"]:
        person = None if who == "system" else world.people[who]
        sid = transaction.savepoint()
        try:
            expected = person is None or _may(person, case.perm, None)
            if expected and person is not None and case.row_perm:
                perm, obj = case.row_perm(world)
                expected = _may(person, perm, obj)
            try:
                case.run(world, person)
                outcome = "done"
            except PermissionDenied:
                outcome = "refused"
            except ImportFailed as exc:
                outcome = f"rows refused {[str(e) for e in exc.errors]}"
            wrote = case.check(world)
            if expected != (outcome == "done" and wrote):
                problems.append(f"{who}: expected {expected}, got {outcome} (wrote={wrote})")
        finally:
            transaction.savepoint_rollback(sid)
    assert not problems, f"{name} ({case.perm}):\n  " + "\n  ".join(problems)


# ----------------------------------------------------------------------------- size


def test_matrix_size(capsys):
    """Report how many paths and cells the matrix holds (`pytest -s` shows it)."""
    sizes = {
        "URL writes": len(mc.WRITES),
        "API writes": len(mc.API),
        "back-office ops (models x add/change/delete)": len(ADMIN_DEFAULT_NAMES),
        "back-office actions and custom URLs": len(mc.ADMIN_WRITES),
        "CLI writes (services with an actor)": len(mc.CLI_WRITES),
    }
    paths = sum(sizes.values())
    cells = (paths - len(mc.CLI_WRITES)) * len(PRINCIPALS) + len(mc.CLI_WRITES) * (
        len(PRINCIPALS) + 1
    )
    with capsys.disabled():
        print("\nPermission matrix:")
        for kind, n in sizes.items():
            print(f"  {kind}: {n}")
        print(f"  reads checked to write nothing: URL {len(mc.READS)}, back office "
              f"{len(mc.ADMIN_READS)}, CLI {len(mc.CLI_READS)}; system-only CLI "
              f"{len(mc.CLI_SYSTEM)}")  # fmt: skip
        print(f"  principals: {len(PRINCIPALS)}; write paths: {paths}; cells: {cells}")
        for case_id, allowed in ALLOWED.items():
            print(f"  {case_id}: {', '.join(allowed) or 'nobody'}")
    assert paths and cells
