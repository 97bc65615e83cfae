"""Atom feeds (django.contrib.syndication): new and changed commitments, new validated
reports, published responses and new red flags, national and per entity.

Items carry public facts only (titles, dates, progress, indicator codes), never people.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cocrea.core.coverage import as_datetime
from cocrea.money.redflags import EXPLANATIONS
from cocrea.money.web import catalogue
from cocrea.participation import datasets as participation_datasets
from cocrea.plans import datasets as plans_datasets
from cocrea.plans import selectors as plans_selectors
from cocrea.territory.models import Entity

LIMIT = 50


class _Feed(Feed):
    feed_type = Atom1Feed
    kind = ""
    label = ""

    def get_object(self, request, code=None):
        if code is None:
            return None
        entity = Entity.objects.filter(code=code).first()
        if entity is None:
            raise Http404(_("No existe esa entidad."))
        return entity

    def title(self, entity):
        where = entity.common_name if entity else _("todo el país")
        return f"Cocrea · {self.label} · {where}"

    def link(self, entity):
        if entity:
            return reverse(f"opendata:feed_{self.kind}_entity", args=[entity.code])
        return reverse(f"opendata:feed_{self.kind}")

    def subtitle(self, entity):
        return _("Sin datos personales. Licencia: Términos de Libre Uso MX.")

    def author_name(self):
        return "Cocrea"

    def item_pubdate(self, item):
        return as_datetime(self._published(item))

    def item_updateddate(self, item):
        return as_datetime(self._updated(item))

    def _published(self, item):
        raise NotImplementedError

    def _updated(self, item):
        return self._published(item)


class CommitmentsFeed(_Feed):
    kind = "commitments"

    @property
    def label(self):
        return _("Compromisos nuevos y modificados")

    def items(self, entity):
        qs = plans_selectors.public_commitments().select_related("plan__entity")
        if entity:
            qs = qs.filter(plan__entity=entity)
        return qs.order_by("-updated_at", "-id")[:LIMIT]

    def item_title(self, c):
        return f"{c.plan.entity.common_name} · {c.number}. {c.title}"

    def item_description(self, c):
        return _("Estatus: %(status)s. Plan %(plan)s.") % {
            "status": c.get_status_display(),
            "plan": c.plan.sequence,
        }

    def item_guid(self, c):
        return f"commitment-{c.pk}-{c.updated_at.isoformat()}"

    item_guid_is_permalink = False

    def _published(self, c):
        return c.created_at

    def _updated(self, c):
        return c.updated_at


class ReportsFeed(_Feed):
    kind = "reports"

    @property
    def label(self):
        return _("Reportes de avance validados")

    def items(self, entity):
        qs = plans_datasets.validated_reports(entity.code if entity else None)
        return qs.order_by("-reviewed_at", "-id")[:LIMIT]

    def item_title(self, r):
        m = r.milestone
        return f"{m.commitment.plan.entity.common_name} · {m.title}: {r.progress}%"

    def item_description(self, r):
        return r.text

    def item_link(self, r):
        return r.milestone.commitment.get_absolute_url()

    def item_guid(self, r):
        return f"report-{r.pk}"

    item_guid_is_permalink = False

    def _published(self, r):
        return r.reviewed_at or r.date


class ResponsesFeed(_Feed):
    kind = "responses"

    @property
    def label(self):
        return _("Respuestas razonadas publicadas")

    def items(self, entity):
        qs = participation_datasets.published_responses(entity.code if entity else None)
        return qs.order_by("-published_at", "-id")[:LIMIT]

    def item_title(self, r):
        return f"{r.get_status_display()}: {r.proposal.title}"

    def item_description(self, r):
        return r.reason

    def item_link(self, r):
        return r.proposal.get_absolute_url()

    def _published(self, r):
        return r.published_at

    def _updated(self, r):
        return r.updated_at


class FlagsFeed(_Feed):
    kind = "flags"

    @property
    def label(self):
        return _("Banderas rojas")

    def items(self, entity):
        self.updated = catalogue.flags_updated()
        return catalogue.recent_flags(entity.code if entity else None, LIMIT)

    def item_title(self, f):
        info = EXPLANATIONS.get(f["code"])
        name = str(info["title"]) if info else f["code"]
        return f"{f['code']} · {name}: {f['title'] or f['ocid']}"

    def item_description(self, f):
        return _("Proceso %(ocid)s de %(buyer)s; valor del indicador: %(value)s.") % {
            "ocid": f["ocid"],
            "buyer": f["buyer_name"] or "—",
            "value": f["value"],
        }

    def item_link(self, f):
        return reverse("money:process", args=[f["ocid"]])

    def item_guid(self, f):
        return f"flag-{f['ocid']}-{f['code']}"

    item_guid_is_permalink = False

    def _published(self, f):
        return f["date"] or self.updated

    def _updated(self, f):
        return self.updated or f["date"]


FEEDS = {
    "commitments": ("compromisos", CommitmentsFeed),
    "reports": ("reportes", ReportsFeed),
    "responses": ("respuestas", ResponsesFeed),
    "flags": ("banderas", FlagsFeed),
}

urlpatterns = []
for kind, (slug, feed) in FEEDS.items():
    urlpatterns += [
        path(f"datos/avisos/{slug}.atom", feed(), name=f"feed_{kind}"),
        path(f"datos/avisos/{slug}/<str:code>.atom", feed(), name=f"feed_{kind}_entity"),
    ]
