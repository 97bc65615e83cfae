from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cocrea.core.registry import DATASETS, ENTITY_SECTIONS, MUNICIPALITY_SECTIONS
from cocrea.participants.selectors import organizations, typed_counts
from cocrea.territory import summary
from cocrea.territory.models import Entity
from cocrea.territory.selectors import (
    adhesions_by_year,
    entities_with_adhesion,
    map_shapes,
    municipalities,
    national_stats,
)

from . import exports
from .charts import bar_chart


def dashboard(request):
    stats = national_stats()
    by_year = adhesions_by_year()
    entities = list(entities_with_adhesion())
    names_by_year = {year: [e.common_name for e in items] for year, items in by_year.items()}
    english = get_language() == "en"
    write = summary.summary_en if english else summary.summary_es
    municipal = summary.municipal_en if english else summary.municipal_es
    year_chart = bar_chart(
        [
            (str(year), len(items), f"year-{i}", ", ".join(e.common_name for e in items))
            for i, (year, items) in enumerate(by_year.items())
        ]
    )
    year_index = {year: i for i, year in enumerate(by_year)}
    by_map_id = {e.map_id: e for e in entities}
    shapes = []
    for loc in map_shapes()["locations"]:
        entity = by_map_id.get(loc["id"])
        if entity is None:
            continue
        adhesion = getattr(entity, "adhesion", None)
        shapes.append(
            {
                "entity": entity,
                "path": loc["path"],
                "year": adhesion.year if adhesion else None,
                "css": f"year-{year_index[adhesion.year]}" if adhesion else "not-joined",
            }
        )
    participants = typed_counts()
    return render(
        request,
        "web/dashboard.html",
        {
            "stats": stats,
            "by_year": by_year,
            "year_chart": year_chart,
            "year_index": year_index,
            "map_viewbox": map_shapes()["viewBox"],
            "shapes": shapes,
            "participants": participants,
            "summary_html": write(stats["entities_total"], names_by_year, stats["participants"])
            + municipal(stats["municipalities_joined_by_entity"]),
            "not_joined": [e for e in entities if not hasattr(e, "adhesion")],
        },
    )


def entity_detail(request, slug):
    entity = get_object_or_404(Entity.objects.select_related("adhesion"), slug=slug)
    orgs = list(organizations(entity))
    grouped = {}
    for org in orgs:
        grouped.setdefault(org.get_type_display(), []).append(org)
    return render(
        request,
        "web/entity.html",
        {
            "entity": entity,
            "adhesion": getattr(entity, "adhesion", None),
            "participants": typed_counts(entity),
            "organizations_by_type": grouped,
            "organization_count": len(orgs),
            "municipalities": _with_progress(
                list(municipalities(entity_code=entity.code, joined=True)), entity
            ),
            "sections": [
                block for section in ENTITY_SECTIONS if (block := section.summary(entity))
            ],
        },
    )


def buyer_territories(**kwargs):
    from cocrea.money.web.selectors import buyer_territories as find

    return find(**kwargs)


def _with_progress(places, entity):
    """Attach each municipality's plans' progress (today only plans have a municipal level;
    a registry of municipal sections, as for entities, comes when more rooms do)."""
    from cocrea.plans.selectors import municipal_progress

    progress = municipal_progress(entity)
    for place in places:
        place.plans_figures, place.plans_count = progress.get(place.pk, (None, 0))
    return places


def municipality_detail(request, slug, municipality):
    place = get_object_or_404(municipalities(), entity__slug=slug, slug=municipality)
    _with_progress([place], place.entity)
    return render(
        request,
        "web/municipality.html",
        {
            "municipality": place,
            "entity": place.entity,
            "adhesion": getattr(place, "adhesion", None),
            "figures": place.plans_figures,
            "plans_count": place.plans_count,
            "buyers": list(buyer_territories(municipality_code=place.code)[:200]),
            "sections": [
                block for section in MUNICIPALITY_SECTIONS if (block := section.summary(place))
            ],
        },
    )


def dataset_csv(request, name):
    dataset = DATASETS.get(name)
    if dataset is None or dataset.rows is None or dataset.csv is not None:
        from django.http import Http404

        raise Http404(_("No existe ese conjunto de datos."))
    entity = None
    if dataset.entity_csv_param:
        code = request.GET.get(dataset.entity_csv_param, "").strip()
        entity = code.zfill(2) if code.isdigit() and len(code) <= 2 else None
    response = StreamingHttpResponse(
        exports.stream_csv(dataset, entity), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
