"""*Mi espacio* for co-creation: my proposals and their responses; for the secretariat,
proposals waiting for a reasoned response and reports waiting for moderation."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocrea.accounts.workspace import block, seat_scope

from . import selectors
from .models import Proposal, Registration, Support


def my_proposals(user):
    qs = (
        Proposal.objects.filter(author=user)
        .select_related("process__entity", "process__municipality", "response")
        .order_by("-created_at", "-id")
    )
    if not qs.exists():
        return None

    def item(p):
        response = getattr(p, "response", None)
        published = response is not None and response.published_at is not None
        detail = p.get_status_display()
        if published:
            detail = _("%(status)s · respuesta publicada") % {"status": detail}
        return p.title, p.get_absolute_url(), detail

    return block(_("Mis propuestas y problemas públicos"), qs, item)


def my_supports_and_comments(user):
    """The proposals of others that the person supported or commented on, newest first."""
    from django.db.models import Count, Exists, OuterRef

    supported = Support.objects.filter(proposal=OuterRef("pk"), user=user)
    qs = (
        Proposal.objects.filter(Q(supports__user=user) | Q(comments__author=user))
        .exclude(author=user)
        .distinct()
        .annotate(
            mine_supported=Exists(supported),
            mine_comments=Count("comments", filter=Q(comments__author=user), distinct=True),
        )
        .select_related("process__entity", "process__municipality")
        .order_by("-created_at", "-id")
    )

    def item(p):
        parts = [p.get_status_display()]
        if p.mine_supported:
            parts.append(_("la apoyé"))
        if p.mine_comments:
            parts.append(
                ngettext("%(n)d comentario mío", "%(n)d comentarios míos", p.mine_comments)
                % {"n": p.mine_comments}
            )
        return p.title, p.get_absolute_url(), " · ".join(str(x) for x in parts)

    if not qs.exists():
        return None
    return block(_("Propuestas que apoyé o comenté"), qs, item)


def my_tables(user):
    qs = Registration.objects.filter(user=user).select_related("table").order_by("table__starts_at")
    if not qs.exists():
        return None
    return block(
        _("Mesas de trabajo en las que me registré"),
        qs,
        lambda r: (
            r.table.title,
            r.table.get_absolute_url(),
            timezone.localtime(r.table.starts_at).strftime("%d/%m/%Y %H:%M"),
        ),  # fmt: skip
    )


def awaiting_response(user):
    """Proposals of the person's processes with no published reasoned response after 15 days."""
    scope = seat_scope(user, "process__")
    if scope is None:
        return None
    cutoff = timezone.now() - timedelta(days=15)
    qs = (
        Proposal.objects.filter(scope, hidden_at__isnull=True, created_at__lt=cutoff)
        .filter(Q(response__isnull=True) | Q(response__published_at__isnull=True))
        .select_related("process")
        .order_by("created_at", "id")
    )
    return block(
        _("Propuestas sin respuesta razonada después de 15 días"),
        qs,
        lambda p: (
            p.title,
            p.get_absolute_url(),
            _("recibida el %(d)s") % {"d": timezone.localtime(p.created_at).strftime("%d/%m/%Y")},
        ),  # fmt: skip
        empty=_("Todas las propuestas de más de 15 días tienen respuesta."),
    )


def moderation(user):
    if seat_scope(user, "process__") is None:
        return None
    qs = selectors.moderation_queue(user)
    from django.urls import reverse

    return block(
        _("Reportes de contenido por moderar"),
        qs,
        lambda r: (r.reason[:100], reverse("participation:moderation"), str(r.process)),
        empty=_("Nada por moderar."),
    )
