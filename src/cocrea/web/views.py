from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cocrea.core.registry import DATASETS, ENTITY_SECTIONS, dataset_groups
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
            "municipalities": list(municipalities(entity_code=entity.code, joined=True)),
            "sections": [
                block for section in ENTITY_SECTIONS if (block := section.summary(entity))
            ],
        },
    )


def municipality_detail(request, slug, municipality):
    place = get_object_or_404(municipalities(), entity__slug=slug, slug=municipality)
    return render(
        request,
        "web/municipality.html",
        {
            "municipality": place,
            "entity": place.entity,
            "adhesion": getattr(place, "adhesion", None),
        },
    )


def open_data(request):
    """The open-data catalogue: every public dataset that an app registered, by app."""
    groups = [
        {
            "title": title,
            "datasets": [
                {
                    "name": d.name,
                    "title": d.title,
                    "description": d.description,
                    "page_url": d.page_url,
                    "csv_url": d.csv_url,
                    "json_url": d.json_url,
                    "formats": d.other_formats,
                    "available": d.is_available(),
                }
                for d in datasets
            ],
        }
        for title, datasets in dataset_groups()
    ]
    return render(request, "web/open_data.html", {"groups": groups})


def dataset_csv(request, name):
    dataset = DATASETS.get(name)
    if dataset is None or dataset.rows is None or dataset.csv is not None:
        from django.http import Http404

        raise Http404(_("No existe ese conjunto de datos."))
    response = StreamingHttpResponse(
        exports.stream_csv(dataset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
