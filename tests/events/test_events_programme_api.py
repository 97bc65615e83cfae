"""GET /api/v1/programme: the open-data programme (the JSON twin of eventos-programa.csv).

Same rows, order and values as the CSV; filters by event, track and kind; paginated with
limit/offset; a fixed number of queries; never a registrant nor a staff e-mail.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from events_helpers import make_open_event, person

from cocrea.events import services
from cocrea.events.models import EventStatus, Session, SessionKind, Speaker

URL = "/api/v1/programme"


@pytest.fixture
def events(reference, users):
    """Two public events (one cancelled), a draft one (hidden) and a few registrants."""
    summit = make_open_event(slug="cumbre-a")
    other = make_open_event(slug="cumbre-b", days_ahead=40)
    other.status = EventStatus.CANCELLED
    other.save(update_fields=["status"])
    draft = make_open_event(slug="borrador", days_ahead=60)
    draft.status = EventStatus.DRAFT
    draft.save(update_fields=["status"])
    for n in range(1, 4):
        services.register(summit, **person(n, name=f"Registrante Secreta {n}"))
    return {"summit": summit, "other": other, "draft": draft}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def test_same_rows_order_and_values_as_the_csv(client, events):
    rows = client.get(URL).json()
    download = client.get("/datos/eventos-programa.csv")
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(table) == 2 * events["summit"].sessions.count()
    assert {r["event"] for r in rows} == {"cumbre-a", "cumbre-b"}
    for row, line in zip(rows, table, strict=True):
        assert row["event"] == line["evento"]
        assert row["id"] == int(line["sesion_id"])
        assert row["title"] == line["titulo"]
        assert row["kind"] == line["tipo"]
        assert (row["track"] or "") == line["eje_tematico"]
        assert row["room"] == line["sala"]
        assert row["start"][:19] == line["inicio"][:19]
        assert row["end"][:19] == line["fin"][:19]
        assert ("" if row["capacity"] is None else str(row["capacity"])) == line["cupo_propio"]
        assert (
            "; ".join(
                f"{p['name']} ({p['organization']})" if p["organization"] else p["name"]
                for p in row["speakers"]
            )
            == line["ponentes"]
        )


def test_row_fields(client, events):
    summit = events["summit"]
    session = (
        Session.objects.filter(event=summit, track__isnull=False, speakers__isnull=False)
        .order_by("start", "room", "title")
        .first()
    )
    row = next(r for r in client.get(URL, {"event": summit.slug}).json() if r["id"] == session.pk)
    assert row["title"] == session.title
    assert row["kind"] == session.kind
    assert row["kind_label"] == session.get_kind_display()
    assert row["track"] == session.track.name and row["track_slug"] == session.track.slug
    assert row["capacity"] == session.capacity
    assert row["url"] == f"/eventos/{summit.slug}/programa/"
    assert row["ics_url"] == f"/eventos/{summit.slug}/sesiones/{session.pk}/calendario.ics"
    names = sorted(session.speakers.values_list("name", flat=True))
    assert [p["name"] for p in row["speakers"]] == names
    assert set(row["speakers"][0]) == {"name", "position", "organization", "is_demo"}


def test_filters(client, events):
    summit, other = events["summit"], events["other"]
    assert set(ids(client.get(URL, {"event": "cumbre-a"}))) == set(
        summit.sessions.values_list("pk", flat=True)
    )
    assert set(ids(client.get(URL, {"event": "cumbre-b"}))) == set(
        other.sessions.values_list("pk", flat=True)
    )
    assert ids(client.get(URL, {"event": "borrador"})) == []
    assert ids(client.get(URL, {"event": "no-existe"})) == []
    track = client.get(URL, {"event": "cumbre-a", "track": "sigue-el-dinero"}).json()
    assert track and {r["track_slug"] for r in track} == {"sigue-el-dinero"}
    assert len(track) == summit.sessions.filter(track__slug="sigue-el-dinero").count()
    panels = client.get(URL, {"kind": "panel"}).json()
    assert (
        len(panels)
        == Session.objects.filter(kind=SessionKind.PANEL, event__in=[summit, other]).count()
    )
    assert {r["kind"] for r in panels} == {"panel"}
    both = ids(client.get(URL, {"kind": "workshop", "event": "cumbre-b"}))
    assert set(both) == set(
        other.sessions.filter(kind=SessionKind.WORKSHOP).values_list("pk", flat=True)
    )


def test_invalid_filters_are_rejected(client, events):
    assert client.get(URL, {"kind": "fiesta"}).status_code == 422
    assert client.get(URL, {"limit": "0"}).status_code == 422
    assert client.get(URL, {"limit": "5001"}).status_code == 422
    assert client.get(URL, {"offset": "-3"}).status_code == 422


def test_pagination(client, events):
    everything = ids(client.get(URL))
    first = client.get(URL, {"limit": 7})
    assert ids(first) == everything[:7]
    assert first["X-Total-Count"] == str(len(everything))
    assert first["Link"] == f'<{URL}?limit=7&offset=7>; rel="next"'
    last = client.get(URL, {"limit": 7, "offset": len(everything) - 3})
    assert ids(last) == everything[-3:] and "Link" not in last
    assert ids(client.get(URL, {"offset": 10_000})) == []


def test_no_personal_data(client, events, users):
    body = client.get(URL).content.decode()
    assert "@" not in body
    assert "Registrante Secreta" not in body
    for user in users.values():
        assert user.email not in body
    for key in ("email", "registrations", "registrants", "code", "sector"):
        assert f'"{key}"' not in body


def test_bounded_queries_with_many_sessions(client, reference, django_assert_max_num_queries):
    events = [make_open_event(slug=f"evento-{n}", days_ahead=20 + n) for n in range(3)]
    extra = []
    for event in events:
        start = event.start
        extra += [
            Session(
                event=event, title=f"Mesa {k}", kind=SessionKind.WORKING_TABLE,
                room=f"Sala {k % 5}", start=start + timedelta(minutes=k),
                end=start + timedelta(minutes=k + 30),
            )
            for k in range(100)
        ]  # fmt: skip
    created = Session.objects.bulk_create(extra)
    speakers = list(Speaker.objects.filter(event=events[0]))
    Session.speakers.through.objects.bulk_create(
        Session.speakers.through(session_id=s.pk, speaker_id=speakers[i % len(speakers)].pk)
        for i, s in enumerate(created)
    )
    total = Session.objects.count()
    assert total >= 360
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert len(response.json()) == total
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"event": "evento-1", "limit": 50, "offset": 60})
    assert len(response.json()) == 50


def test_documented_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "event", "track", "kind", "limit", "offset",
    }  # fmt: skip
    assert "eventos-programa.csv" in operation["description"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"]
    fields = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert {"event", "id", "title", "kind", "track", "room", "start", "end", "capacity"} <= set(
        fields
    )
    assert "speakers" in fields
