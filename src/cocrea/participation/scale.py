"""A very large process (10,000 proposals, 100,000 comments) for query-count tests and
the benchmark. Written with bulk_create; `remove_large_process` deletes it without
loading the rows into Python."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cocrea.accounts.models import CitizenProfile, User

from .markup import render_markdown
from .models import (
    PHASE_DEFAULTS,
    Comment,
    Phase,
    PhaseKind,
    Process,
    Proposal,
    Response,
    ResponseStatus,
    Support,
    Theme,
)

PREFIX = "escala-"
BUSY_COMMENTS = 2_000  # the busiest proposal's conversation


@transaction.atomic
def build_large_process(
    entity, *, proposals: int = 10_000, comments: int = 100_000, citizens: int = 200, seed=7
) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    process = Process.objects.create(entity=entity, cycle="2099-2100", title="Proceso a escala")
    kinds = list(PhaseKind)
    Phase.objects.bulk_create(
        [
            Phase(
                process=process,
                kind=kind,
                starts_on=today + datetime.timedelta(days=(i - 2) * 30 - 10),
                ends_on=today + datetime.timedelta(days=(i - 2) * 30 + 19),
                **PHASE_DEFAULTS[kind],
            )
            for i, kind in enumerate(kinds)
        ]
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"{PREFIX}{i}@example.org",
                email=f"{PREFIX}{i}@example.org",
                password=password,
                display_name=f"Persona {i}",
            )
            for i in range(citizens)
        ]
    )
    CitizenProfile.objects.bulk_create(
        [
            CitizenProfile(
                user=u, privacy_accepted_at=now, privacy_version="2026-01", email_verified_at=now
            )
            for u in users
        ]
    )
    themes = Theme.values
    body = "Texto de la propuesta con **énfasis** y una lista:\n\n- uno\n- dos"
    html = render_markdown(body)
    # Comment i goes to the busiest proposal (index 0) for the first BUSY_COMMENTS,
    # then round-robin over the others: counts are known before any row is written.
    others = max(1, proposals - 1)
    per_index = [0] * proposals
    per_index[0] = BUSY_COMMENTS
    for k in range(comments - BUSY_COMMENTS):
        per_index[1 + k % others] += 1
    statuses = [ResponseStatus.ACCEPTED, ResponseStatus.REJECTED, ResponseStatus.EVALUATING]
    rows = []
    for i in range(proposals):
        created = now - datetime.timedelta(minutes=i)
        answered = i < proposals // 2
        status = statuses[i % 3] if answered else "sin_respuesta"
        rows.append(
            Proposal(
                process=process,
                kind="propuesta" if i % 3 else "problema",
                title=f"Propuesta {i} sobre {themes[i % len(themes)]}",
                body=body,
                body_html=html,
                municipality=f"Municipio {i % 36}",
                theme=themes[i % len(themes)],
                author=users[i % citizens],
                support_count=citizens if i == 0 else rng.randint(0, 500),
                comment_count=per_index[i],
                status=status,
                answered_at=(
                    created + datetime.timedelta(days=5)
                    if answered and status != ResponseStatus.EVALUATING
                    else None
                ),
                created_at=created,
            )
        )
    props = Proposal.objects.bulk_create(rows, batch_size=2000)
    busy = props[0]
    Response.objects.bulk_create(
        [
            Response(
                proposal=p, status=p.status, reason="Motivo", reason_html="<p>Motivo</p>",
                published_at=p.created_at + datetime.timedelta(days=5),
            )
            for p in props[: proposals // 2]
        ],
        batch_size=2000,
    )  # fmt: skip
    chtml = render_markdown("Un comentario")

    def comment(target, i, parent=None):
        return Comment(
            proposal=target,
            parent=parent,
            root=parent,
            author=users[i % citizens],
            body="Un comentario",
            body_html=chtml,
            created_at=now - datetime.timedelta(seconds=comments - i),
        )

    # The busy conversation: 1,000 threads, the other 1,000 comments reply to the first 100.
    roots = Comment.objects.bulk_create([comment(busy, i) for i in range(BUSY_COMMENTS // 2)])
    rest = [
        comment(busy, i, parent=roots[i % 100]) for i in range(BUSY_COMMENTS // 2, BUSY_COMMENTS)
    ]
    rest += [
        comment(props[1 + k % others], BUSY_COMMENTS + k) for k in range(comments - BUSY_COMMENTS)
    ]
    Comment.objects.bulk_create(rest, batch_size=5000)
    Support.objects.bulk_create(
        [Support(proposal=busy, user=u, created_at=now) for u in users], batch_size=2000
    )
    return {"process": process, "busy": busy, "quiet": props[-1], "users": users}


@transaction.atomic
def remove_large_process(process) -> None:
    proposals = Proposal.objects.filter(process=process)
    Support.objects.filter(proposal__in=proposals)._raw_delete("default")
    Comment.objects.filter(proposal__in=proposals)._raw_delete("default")
    Response.objects.filter(proposal__in=proposals)._raw_delete("default")
    proposals._raw_delete("default")
    process.delete()
    CitizenProfile.objects.filter(user__username__startswith=PREFIX).delete()
    User.objects.filter(username__startswith=PREFIX)._raw_delete("default")
