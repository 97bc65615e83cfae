"""Server-rendered SVG geometry of the national comparison (no JavaScript)."""

from __future__ import annotations


def share_bars(items, *, width=640, row=22, label_w=170, pad=6) -> dict:
    """Horizontal bars for (label, url, share % or None) tuples; None is drawn as «sin datos»."""
    plot_w = width - label_w - 60
    bars = []
    for i, (label, url, value) in enumerate(items):
        bars.append(
            {
                "label": label,
                "url": url,
                "y": pad + i * row,
                "text_y": pad + i * row + 14,
                "w": round(plot_w * max(0.0, min(value or 0.0, 100.0)) / 100, 1),
                "value": value,
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": pad * 2 + row * len(items) + 16,
        "label_w": label_w,
        "label_x": label_w - 6,
        "value_x": label_w + plot_w + 4,
        "plot_w": plot_w,
        "bar_h": row - 8,
        "ticks": [
            {"x": round(label_w + plot_w * t / 100, 1), "t": t} for t in (0, 25, 50, 75, 100)
        ],
        "axis_y": pad + row * len(items) + 12,
    }


def share_line(points, *, width=640, height=160, pad=30) -> dict:
    """A line of (year, share % or None) points over time."""
    points = [(y, v) for y, v in points if v is not None]
    if not points:
        return {"points": [], "width": width, "height": height}
    years = [y for y, _ in points]
    lo, hi = min(years), max(years)
    span = (hi - lo) or 1
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    coords = [
        {
            "year": y,
            "value": v,
            "x": round(pad + plot_w * ((y - lo) / span if hi != lo else 0.5), 1),
            "y": round(pad + plot_h * (1 - v / 100), 1),
        }
        for y, v in points
    ]
    return {
        "points": coords,
        "path": " ".join(f"{p['x']},{p['y']}" for p in coords),
        "width": width,
        "height": height,
        "base_y": pad + plot_h,
        "top_y": pad,
        "pad": pad,
        "right_x": width - pad,
    }
