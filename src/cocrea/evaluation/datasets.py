"""The evaluation's dataset in the open-data catalogue: coverage from the ratings themselves."""

from __future__ import annotations

from cocrea.core.coverage import queryset_coverage

from .models import Assessment, ReviewStatus


def ratings_coverage() -> dict:
    """Published ratings: issued when the first review was published, modified when the
    latest was; the period is that of the plans they judge."""
    return queryset_coverage(
        Assessment.objects.filter(review__status=ReviewStatus.PUBLISHED),
        issued="review__published_at",
        modified="review__published_at",
        start="review__plan__period_start",
        end="review__plan__period_end",
        entity="review__plan__entity__code",
    )
