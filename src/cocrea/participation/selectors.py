"""Read-side queries for co-creation pages, the API and the CSV downloads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
)
from django.utils import timezone

from cocrea.accounts import selectors as memberships
from cocrea.accounts.models import Role

from .models import (
    Comment,
    Phase,
    Process,
    Proposal,
    ProposalStatus,
    Registration,
    Report,
    Response,
    Sector,
    Standard,
    StandardEvidence,
    Support,
    WorkingTable,
)

SORTS = {
    "apoyos": ("-support_count", "-id"),
    "recientes": ("-created_at", "-id"),
    "comentarios": ("-comment_count", "-id"),
    "antiguas": ("created_at", "id"),
}
PAGE_SIZE = 20


def processes(entity_code: str | None = None):
    qs = Process.objects.select_related("entity", "municipality").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("starts_on", "id"))
    )
    if entity_code:
        qs = qs.filter(entity__code=entity_code.zfill(2))
    return qs.order_by("entity__code", "-cycle")


def process_by_slug(entity_slug: str, cycle: str, municipality_slug: str | None = None):
    """The process of an entity (or of one of its municipalities) for a cycle, or None."""
    qs = processes().filter(entity__slug=entity_slug, cycle=cycle)
    if municipality_slug:
        return qs.filter(municipality__slug=municipality_slug).first()
    return qs.filter(municipality__isnull=True).first()


def proposals(process: Process | None = None, *, entity_code: str | None = None):
    """Public proposals, with the fields list pages and the API need (no personal data)."""
    qs = Proposal.objects.select_related("process__entity", "process__municipality").defer(
        "body", "body_html"
    )
    if process is not None:
        qs = qs.filter(process=process)
    if entity_code:
        qs = qs.filter(process__entity__code=entity_code.zfill(2))
    return qs


def filter_proposals(qs, *, q: str = "", theme: str = "", status: str = "", kind: str = "",
                     sort: str = "apoyos"):  # fmt: skip
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(municipality__icontains=q) | Q(body__icontains=q))
    if theme:
        qs = qs.filter(theme=theme)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by(*SORTS.get(sort, SORTS["apoyos"]))


def labelled(proposals):
    """Attach display labels resolved once per request (lazy labels are slow in loops)."""
    from .models import Theme

    kinds = {k: str(v) for k, v in Proposal.Kind.choices}
    themes = {k: str(v) for k, v in Theme.choices}
    statuses = {k: str(v) for k, v in ProposalStatus.choices}
    for p in proposals:
        p.kind_label = kinds.get(p.kind, p.kind)
        p.theme_label = themes.get(p.theme, p.theme)
        p.status_label = statuses.get(p.status, p.status)
    return proposals


def with_author(qs):
    return qs.select_related("author", "author__citizen_profile")


def supported_ids(user, proposal_ids) -> set[int]:
    if not (user and user.is_authenticated):
        return set()
    return set(
        Support.objects.filter(user=user, proposal_id__in=list(proposal_ids)).values_list(
            "proposal_id", flat=True
        )
    )


@dataclass
class CommentNode:
    comment: Comment
    replies: list


COMMENT_THREADS_PER_PAGE = 50


def comment_page(proposal: Proposal, page_number=1):
    """One page of conversation threads: root comments plus all their replies (3 queries)."""
    roots = proposal.comments.filter(root__isnull=True).select_related("author")
    paginator = Paginator(roots.order_by("created_at", "id"), COMMENT_THREADS_PER_PAGE)
    page = paginator.get_page(page_number)
    root_list = list(page.object_list)
    replies = (
        Comment.objects.filter(root__in=[c.pk for c in root_list])
        .select_related("author")
        .order_by("created_at", "id")
        if root_list
        else []
    )
    return page, flatten(_tree(root_list + list(replies)))


def flatten(nodes: list[CommentNode], depth: int = 0) -> list[tuple[Comment, int]]:
    """Threads as (comment, depth) in reading order, so a page renders them in one loop."""
    flat: list[tuple[Comment, int]] = []
    stack = [(node, depth) for node in reversed(nodes)]
    while stack:
        node, level = stack.pop()
        flat.append((node.comment, min(level, 6)))
        stack.extend((child, level + 1) for child in reversed(node.replies))
    return flat


def comment_tree(proposal: Proposal) -> list[CommentNode]:
    """Every comment of a proposal arranged as threads (for small conversations)."""
    return _tree(list(proposal.comments.select_related("author").order_by("created_at", "id")))


def _tree(comments) -> list[CommentNode]:
    nodes: dict[int, CommentNode] = {}
    roots: list[CommentNode] = []
    for comment in comments:
        node = CommentNode(comment, [])
        nodes[comment.pk] = node
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent else roots).append(node)
    return roots


def response_of(proposal: Proposal, *, include_draft: bool = False) -> Response | None:
    response = (
        Response.objects.filter(proposal=proposal)
        .select_related("commitment__plan__entity")
        .first()
    )
    if response is None or (not include_draft and response.published_at is None):
        return None
    return response


@dataclass
class AnswerStats:
    total: int
    answered: int
    evaluating: int
    drafts: int
    median_days: float | None
    max_days: float | None

    @property
    def share(self) -> float:
        return self.answered / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def answer_stats(process: Process) -> AnswerStats:
    """Share of proposals with a published final answer and how long answers took."""
    visible = Proposal.objects.filter(process=process, hidden_at__isnull=True)
    counts = visible.aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        evaluating=Count("id", filter=Q(status=ProposalStatus.EVALUATING)),
    )
    drafts = Response.objects.filter(proposal__process=process, published_at__isnull=True).count()
    # Median and maximum answer time computed by the database: no rows reach Python.
    answered = visible.filter(answered_at__isnull=False).annotate(
        took=ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    )
    median_days = max_days = None
    if counts["answered"]:
        n = counts["answered"]
        middle = list(
            answered.order_by("took").values_list("took", flat=True)[(n - 1) // 2 : n // 2 + 1]
        )
        median = sum(middle, datetime.timedelta()) / len(middle)
        longest = answered.order_by("-took").values_list("took", flat=True).first()
        median_days = round(median.total_seconds() / 86400, 1)
        max_days = round(longest.total_seconds() / 86400, 1)
    return AnswerStats(
        total=counts["total"],
        answered=counts["answered"],
        evaluating=counts["evaluating"],
        drafts=drafts,
        median_days=median_days,
        max_days=max_days,
    )


def status_counts(process: Process) -> dict[str, int]:
    found = dict(
        Proposal.objects.filter(process=process)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {s.value: found.get(s.value, 0) for s in ProposalStatus}


def tables(process: Process):
    return (
        WorkingTable.objects.filter(process=process)
        .annotate(
            registered=Count("registrations", distinct=True),
            attended=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        )
        .order_by("starts_at", "id")
    )


def sectors_present(process: Process) -> list[str]:
    codes = (
        Registration.objects.filter(table__process=process, attended=True)
        .values_list("sector", flat=True)
        .distinct()
    )
    return [str(Sector(c).label) for c in sorted(set(codes))]


@dataclass
class StandardRow:
    standard: Standard
    record: StandardEvidence | None
    computed: list[str]


def standards_record(process: Process) -> list[StandardRow]:
    """OGP's five co-creation standards: the secretariat's evidence plus computed evidence."""
    from django.utils.translation import gettext as _

    stats = answer_stats(process)
    all_tables = list(tables(process))
    past = [t for t in all_tables if t.starts_at <= timezone.now()]
    docs_before = [
        t for t in past if t.documents_published_at and t.documents_published_at < t.starts_at
    ]
    with_minutes = [t for t in past if t.minutes]
    sectors = sectors_present(process)
    comments = Comment.objects.filter(proposal__process=process, hidden_at__isnull=True).count()
    records = {r.standard: r for r in StandardEvidence.objects.filter(process=process)}
    phases = list(process.phases.all())
    computed = {
        Standard.DIALOGUE: [
            _("%(n)d mesas de trabajo, %(m)d ya realizadas.")
            % {"n": len(all_tables), "m": len(past)},
            _("%(n)d comentarios públicos en las propuestas.") % {"n": comments},
        ],
        Standard.INFORMATION: [
            _("%(n)d de %(m)d mesas realizadas publicaron sus documentos antes de la reunión.")
            % {"n": len(docs_before), "m": len(past)},
            _("%(n)d de %(m)d mesas realizadas tienen minuta pública.")
            % {"n": len(with_minutes), "m": len(past)},
            _("%(n)d fases con fechas publicadas.") % {"n": len(phases)},
        ],
        Standard.INCLUSION: [
            _("Sectores presentes en las mesas: %(s)s.") % {"s": ", ".join(sectors) or "—"},
            _("%(n)d propuestas y problemas públicos recibidos.") % {"n": stats.total},
        ],
        Standard.RESPONSE: [
            _("%(p)d %% de las propuestas tiene respuesta razonada publicada (%(a)d de %(t)d).")
            % {"p": stats.percent, "a": stats.answered, "t": stats.total},
            (
                _("Mediana del tiempo de respuesta: %(d)s días.") % {"d": stats.median_days}
                if stats.median_days is not None
                else _("Aún no hay respuestas publicadas.")
            ),
        ],
        Standard.MONITORING: [
            _("%(n)d fases de implementación, seguimiento o evaluación programadas.")
            % {"n": sum(1 for p in phases if p.kind in ("implementacion", "evaluacion"))},
        ],
    }
    return [StandardRow(s, records.get(s.value), computed[s]) for s in Standard]


def moderation_queue(user):
    """Pending reports the user may resolve (their entity; every entity for coordinators)."""
    qs = Report.objects.filter(decision=Report.Decision.PENDING).select_related(
        "process__entity", "proposal", "comment__proposal"
    )
    if not (user.is_superuser or memberships.has_role(user, Role.NATIONAL_COORDINATOR)):
        qs = qs.filter(process__entity_id__in=memberships.member_entity_ids(user))
    return qs.order_by("created_at", "id")


def drafts(process: Process):
    return (
        Response.objects.filter(proposal__process=process, published_at__isnull=True)
        .select_related("proposal")
        .order_by("proposal_id")
    )


def commitment_origins(commitment) -> dict:
    """The proposals and working tables a commitment came from (public data only)."""
    props = list(
        Proposal.objects.filter(
            response__commitment=commitment,
            response__published_at__isnull=False,
            hidden_at__isnull=True,
        )
        .select_related("process__entity")
        .order_by("id")
    )
    table_ids = set(
        WorkingTable.objects.filter(agreements__commitment=commitment).values_list("pk", flat=True)
    )
    table_ids |= set(
        WorkingTable.objects.filter(proposals__in=[p.pk for p in props]).values_list(
            "pk", flat=True
        )
    )
    tables_ = list(WorkingTable.objects.filter(pk__in=table_ids).order_by("starts_at", "id"))
    return {"proposals": props, "tables": tables_}


def has_supported(user, proposal) -> bool:
    return bool(
        user
        and user.is_authenticated
        and Support.objects.filter(user=user, proposal=proposal).exists()
    )


def supported_annotation(user):
    return Exists(Support.objects.filter(user=user, proposal=OuterRef("pk")))


def entity_commitments(entity):
    """The commitments of an entity's action plans (for the answer and agreement forms)."""
    from django.apps import apps

    try:
        Commitment = apps.get_model("plans", "Commitment")
    except LookupError:
        return []
    return list(
        Commitment.objects.filter(plan__entity=entity)
        .select_related("plan")
        .order_by("plan__sequence", "number")
    )


def commitment_by_id(pk):
    from django.apps import apps

    try:
        Commitment = apps.get_model("plans", "Commitment")
    except LookupError:
        return None
    return Commitment.objects.select_related("plan__entity").filter(pk=pk).first()
