"""The evaluation block of the public entity page (aggregates only, three queries)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import ReviewStatus
from .selectors import entity_reviews


def entity_summary(entity) -> dict | None:
    plans = entity_reviews(entity)
    reviews = [r for _plan, rs in plans for r in rs]
    if not reviews:
        return None
    published = [r for r in reviews if r.status == ReviewStatus.PUBLISHED]
    facts = [
        ngettext("%(n)d revisión publicada.", "%(n)d revisiones publicadas.", len(published))
        % {"n": len(published)}
    ]
    in_reply = [r for r in reviews if r.status == ReviewStatus.COMMENTS]
    if in_reply:
        facts.append(
            _("En periodo de réplica del secretariado hasta el %(d)s.")
            % {"d": in_reply[0].reply_due.strftime("%d/%m/%Y")}
        )
    return {
        "title": _("Evaluación independiente"),
        "url": reverse("evaluation:entity", kwargs={"slug": entity.slug}),
        "facts": facts,
    }
