"""Small server-rendered SVG charts: readable without JavaScript and by screen readers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bar:
    label: str
    value: float
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    css_class: str = ""
    title: str = ""


def bar_chart(items: list[tuple[str, float, str, str]], *, width=420, height=220, pad=28):
    """Vertical bars for (label, value, css class, tooltip) tuples; returns geometry."""
    bars: list[Bar] = []
    if not items:
        return {"bars": bars, "width": width, "height": height}
    top = max(v for _, v, _, _ in items) or 1
    slot = (width - 2 * pad) / len(items)
    plot_h = height - 2 * pad
    for i, (label, value, css, title) in enumerate(items):
        h = plot_h * value / top
        bars.append(
            Bar(
                label=label,
                value=value,
                x=pad + i * slot + slot * 0.15,
                y=pad + plot_h - h,
                width=slot * 0.7,
                height=h,
                css_class=css,
                title=title,
            )
        )
    return {"bars": bars, "width": width, "height": height, "baseline": height - pad}
