"""One search over everything public: PostgreSQL full text in Spanish, accents ignored,
small typos forgiven; a simpler path on the demo's SQLite.

On PostgreSQL each ORM source is matched by
  * `to_tsvector('cocrea_es', …) @@ websearch_to_tsquery('cocrea_es', q)`: Spanish stems of
    unaccented words (the `cocrea_es` configuration: `unaccent`, then the Spanish stemmer),
    so «participacion» finds «participación» and «contratos» finds «contrato»; or
  * `q <% cocrea_unaccent(lower(title))`: trigram word similarity (`pg_trgm`), which forgives
    a typo such as «tranparencia», asked only when full text found too few.
Both are served by GIN indexes (migration 0001; `test_search` checks that every source has
them). Full-text results are ranked by how well the title matches (`ts_rank_cd`), typo
results by the title's similarity.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe

from cocrea.core.registry import SEARCH_SOURCES, SearchSource
from cocrea.core.text import normalize

CONFIG = "cocrea_es"
MIN_LENGTH = 2
MAX_QUERY = 200


@dataclass
class Hit:
    title: str
    url: str
    subtitle: str = ""
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))
    title_html: SafeString = field(default_factory=lambda: mark_safe(""))


@dataclass
class Group:
    kind: str
    label: str
    hits: list[Hit]
    more: bool = False


def columns(source: SearchSource) -> list[str]:
    model = source.queryset().model
    return [model._meta.get_field(name).column for name in source.fields]


def vector_sql(cols: list[str], table: str | None = None) -> str:
    """The document of a row; the same text builds the GIN index and the query."""
    qualify = (lambda c: f'"{table}"."{c}"') if table else (lambda c: f'"{c}"')
    parts = " || ' ' || ".join(f"coalesce({qualify(c)}, '')" for c in cols)
    return f"to_tsvector('{CONFIG}'::regconfig, {parts})"


def title_sql(col: str, table: str | None = None) -> str:
    target = f'"{table}"."{col}"' if table else f'"{col}"'
    return f"cocrea_unaccent(lower({target}))"


def search(q: str, *, per_kind: int = 5, kind: str | None = None) -> list[Group]:
    q = " ".join((q or "").split())[:MAX_QUERY]
    if len(q) < MIN_LENGTH:
        return []
    terms = _terms(q)
    groups = []
    for source in SEARCH_SOURCES.values():
        if kind and source.kind != kind:
            continue
        limit = per_kind + 1
        if source.search is not None:
            rows = [Hit(title=t, url=u, subtitle=s) for t, u, s in source.search(q, limit)]
        elif connection.vendor == "postgresql":
            rows = _postgres(source, q, limit)
        else:
            rows = _simple(source, terms, limit)
        if not rows:
            continue
        for hit in rows:
            hit.title_html = highlight(hit.title, terms)
        groups.append(
            Group(source.kind, str(source.label), rows[:per_kind], more=len(rows) > per_kind)
        )
    return groups


def _hit(source: SearchSource, obj, body: str, terms: list[str]) -> Hit:
    title = str(getattr(obj, source.fields[0]) or "")
    return Hit(
        title=title,
        url=source.url(obj) if source.url else obj.get_absolute_url(),
        subtitle=source.subtitle(obj) if source.subtitle else "",
        snippet=excerpt(body, terms),
    )


def _postgres(source: SearchSource, q: str, limit: int) -> list[Hit]:
    """Full text first (one indexed query, ranked by the title's own match so that ranking
    does not re-read every matching body); trigram similarity only to fill what full text
    did not find — the case of a typo."""
    qs = source.queryset()
    table = qs.model._meta.db_table
    cols = columns(source)
    title = title_sql(cols[0], table)
    query = f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
    head = f"to_tsvector('{CONFIG}'::regconfig, coalesce(\"{table}\".\"{cols[0]}\", ''))"
    rows = list(
        qs.annotate(
            _match=RawSQL(f"{vector_sql(cols, table)} @@ {query}", (q,)),
            _rank=RawSQL(f"ts_rank_cd({head}, {query})", (q,)),
        )
        .filter(_match=True)
        .order_by("-_rank", "pk")[:limit]
    )
    if len(rows) < limit:
        rows += list(
            qs.exclude(pk__in=[r.pk for r in rows])
            .annotate(
                _near=RawSQL(f"cocrea_unaccent(lower(%s)) <%% {title}", (q,)),
                _rank=RawSQL(f"word_similarity(cocrea_unaccent(lower(%s)), {title})", (q,)),
            )
            .filter(_near=True)
            .order_by("-_rank", "pk")[: limit - len(rows)]
        )
    terms = _terms(q)
    return [_hit(source, obj, _body(source, obj), terms) for obj in rows]


def _simple(source: SearchSource, terms: list[str], limit: int) -> list[Hit]:
    """SQLite: every word in some field, case-insensitively (accents are not folded)."""
    from django.db.models import Q

    qs = source.queryset()
    for term in terms:
        any_field = Q()
        for name in source.fields:
            any_field |= Q(**{f"{name}__icontains": term})
        qs = qs.filter(any_field)
    return [_hit(source, obj, _body(source, obj), terms) for obj in qs.order_by("pk")[:limit]]


def _body(source: SearchSource, obj) -> str:
    return " ".join(str(getattr(obj, name) or "") for name in source.fields[1:])


def _terms(q: str) -> list[str]:
    return [t for t in re.findall(r"\w+", normalize(q)) if len(t) >= MIN_LENGTH][:10]


def _stem(term: str) -> str:
    # A crude Spanish stem for highlighting only (the database does the real stemming).
    return term[: max(4, len(term) - 2)] if len(term) > 5 else term


WORD = re.compile(r"\w+", re.UNICODE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with the words that match a term (accents ignored) in <mark>."""
    stems = [_stem(t) for t in terms]
    out, last = [], 0
    for m in WORD.finditer(text):
        word = normalize(m.group())
        if any(word.startswith(s) for s in stems):
            out.append(html.escape(text[last : m.start()]))
            out.append(f"<mark>{html.escape(m.group())}</mark>")
            last = m.end()
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


def excerpt(text: str, terms: list[str], width: int = 180) -> SafeString:
    """About `width` characters of `text` around its first match, highlighted."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    stems = [_stem(t) for t in terms]
    start = 0
    for m in WORD.finditer(text):
        if any(normalize(m.group()).startswith(s) for s in stems):
            start = max(0, m.start() - width // 3)
            break
    piece = text[start : start + width]
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(piece, terms) + suffix)
