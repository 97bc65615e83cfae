"""Co-creation's part of a person's data: what the download shows (ARCO access) and what
happens to its rows before the account is deleted (ARCO cancellation). Registered in
`core.registry` by the app, so that the accounts need not know co-creation."""

from __future__ import annotations

from django.db.models import F

from .models import Proposal


def collect(user) -> dict:
    return {
        "proposals": [
            {
                "id": p.pk,
                "process": str(p.process),
                "kind": p.kind,
                "title": p.title,
                "body": p.body,
                "affected_population": p.affected_population,
                "municipality": p.municipality,
                "theme": p.theme,
                "created_at": p.created_at.isoformat(),
            }
            for p in user.cocreation_proposals.select_related("process").order_by("id")
        ],
        "comments": [
            {
                "id": c.pk,
                "proposal_id": c.proposal_id,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
            }
            for c in user.cocreation_comments.order_by("id")
        ],
        "supports": [
            {"proposal_id": s.proposal_id, "created_at": s.created_at.isoformat()}
            for s in user.cocreation_supports.order_by("id")
        ],
        "working_table_registrations": [
            {
                "table_id": r.table_id,
                "sector": r.sector,
                "attended": r.attended,
                "created_at": r.created_at.isoformat(),
            }
            for r in user.cocreation_tables.order_by("id")
        ],
    }


def before_deletion(user) -> dict:
    """Supports and registrations go with the account (the counters are corrected);
    proposals and comments stay in the public record without author."""
    supported = list(user.cocreation_supports.values_list("proposal_id", flat=True))
    for proposal_id in supported:
        Proposal.objects.filter(pk=proposal_id).update(support_count=F("support_count") - 1)
    return {"supports_removed": len(supported)}
