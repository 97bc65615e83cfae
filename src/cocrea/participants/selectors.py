from django.db.models import Count

from .models import Organization, OrganizationType

# Keys of the public statistics, as the API names them.
STAT_KEYS = {
    OrganizationType.AUTHORITY: "authorities",
    OrganizationType.GUARANTOR: "guarantor_bodies",
    OrganizationType.CIVIL_SOCIETY: "civil_society",
    OrganizationType.ACADEMIA: "academia",
    OrganizationType.OTHER: "other",
}


def counts_by_type(entity=None) -> dict[str, int]:
    """{api key: number of organisations} with every type present (zero when none)."""
    qs = Organization.objects.all()
    if entity is not None:
        qs = qs.filter(entity=entity)
    found = dict(qs.values_list("type").annotate(n=Count("id")).order_by())
    return {key: found.get(t.value, 0) for t, key in STAT_KEYS.items()}


def typed_counts(entity=None) -> list[tuple[OrganizationType, int]]:
    counts = counts_by_type(entity)
    return [(t, counts[key]) for t, key in STAT_KEYS.items()]


def organizations(entity=None):
    qs = Organization.objects.select_related("entity").order_by("entity__code", "type", "name")
    if entity is not None:
        qs = qs.filter(entity=entity)
    return qs
