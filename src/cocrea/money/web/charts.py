"""Server-rendered SVG charts (no JavaScript): funnel of moments, Sankey of flows, payments.

Each function returns SVG markup (labels escaped) with a <title> and <desc> for screen
readers; the numbers are also in the tables next to each chart.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .formatting import mxn, mxn_short

COLUMN_LABELS = {
    "F": "Fuente",
    "P": "Programa",
    "B": "Comprador",
    "S": "Proveedor",
    "T": "Pagos",
}
COLUMN_ORDER = ["F", "P", "B", "S", "T"]
COLORS = {"F": "#1b5e6b", "P": "#3f9aa6", "B": "#7a1d3d", "S": "#c0803a", "T": "#2e7d32"}


def funnel(rows: list[dict], title: str = "Momentos del presupuesto") -> SafeString:
    width, bar_h, gap, label_w = 640, 26, 8, 120
    height = len(rows) * (bar_h + gap) + 10
    out = [
        f'<svg class="mo-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="funnel-t"><title id="funnel-t">{escape(title)}</title>'
    ]
    for i, r in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        w = max(1.0, (width - label_w - 170) * r["share"])
        out.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" '
            f'class="mo-label">{escape(r["label"])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'class="mo-bar mo-{r["moment"]}"><title>{escape(r["label"])}: '
            f"{escape(mxn(r['amount']))}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" class="mo-value">'
            f"{escape(mxn_short(r['amount']))}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every label is escaped above


def bars(rows: list[dict], title: str, highlight_month: int | None = 12) -> SafeString:
    """Vertical bars of `rows` [{label, amount, month?}] (payments by month)."""
    if not rows:
        return mark_safe("")
    width, height, bottom, left = 720, 220, 40, 28
    top = max((r["amount"] or Decimal(0)) for r in rows) or Decimal(1)
    step = (width - left) / len(rows)
    bar_w = max(2.0, step * 0.75)
    out = [
        f'<svg class="mo-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="bars-t"><title id="bars-t">{escape(title)}</title>'
    ]
    label_every = max(1, len(rows) // 12)
    for i, r in enumerate(rows):
        h = float((r["amount"] or 0) / top) * (height - bottom - 10)
        x = left + i * step
        month = getattr(r.get("month"), "month", None)
        cls = "mo-bar mo-dec" if highlight_month and month == highlight_month else "mo-bar"
        out.append(
            f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar_w:.1f}" '
            f'height="{max(h, 0.5):.1f}" class="{cls}"><title>{escape(r["label"])}: '
            f"{escape(mxn(r['amount']))}</title></rect>"
        )
        if i % label_every == 0:
            out.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                f'class="mo-axis">{escape(r["label"])}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308


def sankey(links: list[tuple[str, str, Decimal]], title: str = "Flujo del dinero") -> SafeString:
    """A Sankey diagram of links between prefixed nodes ("F:…", "P:…", "B:…", "S:…", "T:…")."""
    links = [(s, t, v) for s, t, v in links if v and v > 0]
    if not links:
        return mark_safe("")
    width, height, node_w, pad = 1100, 520, 14, 16
    columns = [c for c in COLUMN_ORDER if any(s[0] == c or t[0] == c for s, t, _v in links)]
    inflow: dict[str, Decimal] = defaultdict(Decimal)
    outflow: dict[str, Decimal] = defaultdict(Decimal)
    for s, t, v in links:
        outflow[s] += v
        inflow[t] += v
    nodes_by_col: dict[str, list[str]] = {c: [] for c in columns}
    for node in sorted(set(inflow) | set(outflow)):
        nodes_by_col[node[0]].append(node)
    value = {n: max(inflow[n], outflow[n]) for n in set(inflow) | set(outflow)}
    for c in columns:
        nodes_by_col[c].sort(key=lambda n: (n.endswith(":Otros"), -value[n], n))
    usable = height - 30
    scale = min(
        (usable - pad * (len(nodes_by_col[c]) - 1)) / float(sum(value[n] for n in nodes_by_col[c]))
        for c in columns
    )
    # Every column but the last is followed by its labels (~260 px); the last one (payments)
    # is pushed to the right edge, leaving room for its own label.
    last_x = width - 170
    inner = columns[:-1]
    span = max(1, len(inner) - 1)
    col_x = {c: 10 + i * (last_x - 260 - 10) / span for i, c in enumerate(inner)}
    col_x[columns[-1]] = last_x
    pos: dict[str, tuple[float, float]] = {}
    for c in columns:
        y = 24.0
        for n in nodes_by_col[c]:
            h = max(1.5, float(value[n]) * scale)
            pos[n] = (y, h)
            y += h + pad
    out_off: dict[str, float] = defaultdict(float)
    in_off: dict[str, float] = defaultdict(float)
    parts = [
        f'<svg class="mo-sankey" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="sankey-t"><title id="sankey-t">{escape(title)}</title>'
    ]
    for c in columns:
        parts.append(
            f'<text x="{col_x[c]:.1f}" y="14" class="mo-colhead">{COLUMN_LABELS[c]}</text>'
        )
    order = {n: i for c in columns for i, n in enumerate(nodes_by_col[c])}
    for s, t, v in sorted(links, key=lambda x: (order[x[0]], order[x[1]])):
        w = max(0.8, float(v) * scale)
        sy, _sh = pos[s]
        ty, _th = pos[t]
        y0 = sy + out_off[s] + w / 2
        y1 = ty + in_off[t] + w / 2
        out_off[s] += w
        in_off[t] += w
        x0 = col_x[s[0]] + node_w
        x1 = col_x[t[0]]
        mid = (x0 + x1) / 2
        label = f"{s[2:]} → {t[2:]}: {mxn(v)}"
        parts.append(
            f'<path d="M{x0:.1f},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1:.1f},'
            f'{y1:.1f}" stroke="{COLORS[s[0]]}" stroke-width="{w:.1f}" class="mo-link">'
            f"<title>{escape(label)}</title></path>"
        )
    for n, (y, h) in pos.items():
        x = col_x[n[0]]
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{h:.1f}" '
            f'fill="{COLORS[n[0]]}"><title>{escape(n[2:])}: {escape(mxn(value[n]))}</title></rect>'
        )
        name = n[2:] if len(n) <= 29 else n[2:28].rstrip() + "…"
        parts.append(
            f'<text x="{x + node_w + 4:.1f}" y="{y + h / 2 + 4:.1f}" class="mo-node">'
            f'{escape(name)} <tspan class="mo-muted">{escape(mxn_short(value[n]))}</tspan>'
            "</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
