"""Server-rendered SVG geometry for progress charts (no JavaScript needed)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class HBar:
    label: str
    url: str
    y: float
    validated_w: float
    reported_w: float
    validated: float
    reported: float
    extra: str = ""


def progress_bars(items, *, width=640, row=22, label_w=170, pad=6):
    """Horizontal bars for (label, url, validated %, reported %, extra text) tuples.

    The reported figure is drawn as a light bar behind the validated one.
    """
    plot_w = width - label_w - 60
    bars = []
    for i, (label, url, validated, reported, extra) in enumerate(items):
        bars.append(
            HBar(
                label=label,
                url=url,
                y=pad + i * row,
                validated_w=round(plot_w * max(0.0, min(validated, 100.0)) / 100, 1),
                reported_w=round(plot_w * max(0.0, min(reported, 100.0)) / 100, 1),
                validated=validated,
                reported=reported,
                extra=extra,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": pad * 2 + row * len(items) + 16,
        "label_w": label_w,
        "plot_w": plot_w,
        "row": row,
        "bar_h": row - 8,
        "ticks": [{"x": label_w + plot_w * t / 100, "t": t} for t in (0, 25, 50, 75, 100)],
        "axis_y": pad + row * len(items) + 12,
    }
