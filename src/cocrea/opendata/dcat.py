"""The catalogue as DCAT-AP (RDF with rdflib): JSON-LD at /catalogo.jsonld, Turtle at
/catalogo.ttl."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .catalogue import PUBLISHER, Entry, contact_email

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPANISH = URIRef("http://publications.europa.eu/resource/authority/language/SPA")


def _date(value):
    return Literal(value.isoformat(timespec="seconds"), datatype=XSD.dateTime)


def graph(entries: list[Entry], base: str) -> Graph:
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD)):
        g.bind(prefix, ns)
    catalogue = URIRef(f"{base}/catalogo.jsonld")
    publisher = URIRef(f"{base}/#publicador")
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal("Datos abiertos de Cocrea", lang="es")))
    g.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Conjuntos de datos públicos de Gobierno Abierto: Cocreación desde lo local.",
                lang="es",
            ),
        )
    )
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((catalogue, DCTERMS.language, SPANISH))
    g.add((catalogue, FOAF.homepage, URIRef(f"{base}/datos/")))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(PUBLISHER)))
    licences = {}
    for e in entries:
        ds = URIRef(e.landing_page)
        g.add((catalogue, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.identifier, Literal(e.id)))
        g.add((ds, DCTERMS.title, Literal(e.title, lang="es")))
        g.add((ds, DCTERMS.description, Literal(e.description, lang="es")))
        g.add((ds, DCTERMS.publisher, publisher))
        g.add((ds, DCAT.landingPage, URIRef(e.landing_page)))
        g.add((ds, DCTERMS.spatial, Literal(e.spatial)))
        for k in e.keywords:
            g.add((ds, DCAT.keyword, Literal(k, lang="es")))
        if e.issued:
            g.add((ds, DCTERMS.issued, _date(e.issued)))
        if e.modified:
            g.add((ds, DCTERMS.modified, _date(e.modified)))
        if e.temporal:
            period = BNode()
            g.add((ds, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            g.add((period, DCAT.startDate, Literal(e.temporal[0], datatype=XSD.date)))
            g.add((period, DCAT.endDate, Literal(e.temporal[1], datatype=XSD.date)))
        contact = BNode()
        g.add((ds, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, VCARD.fn, Literal(PUBLISHER)))
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{contact_email()}")))
        licence = URIRef(e.licence["url"])
        if licence not in licences:
            licences[licence] = e.licence
            g.add((licence, RDF.type, DCTERMS.LicenseDocument))
            g.add((licence, DCTERMS.title, Literal(e.licence["title"], lang="es")))
        for d in e.distributions:
            dist = URIRef(f"{e.landing_page}#{d.id}")
            g.add((ds, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(d.title)))
            g.add((dist, DCAT.accessURL, URIRef(d.url)))
            g.add((dist, DCAT.downloadURL, URIRef(d.url)))
            g.add(
                (
                    dist,
                    DCAT.mediaType,
                    URIRef(f"https://www.iana.org/assignments/media-types/{d.media_type}"),
                )
            )
            g.add((dist, DCTERMS.format, Literal(d.format)))
            g.add((dist, DCTERMS.license, licence))
        g.add((ds, DCTERMS.license, licence))
    return g


def jsonld(entries: list[Entry], base: str) -> str:
    context = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD)}
    return graph(entries, base).serialize(format="json-ld", context=context, indent=1)


def turtle(entries: list[Entry], base: str) -> str:
    return graph(entries, base).serialize(format="turtle")
