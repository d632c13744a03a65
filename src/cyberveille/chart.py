"""Trends -> a stacked bar chart file (PNG or SVG, by extension) drawn with matplotlib (Agg)."""

from __future__ import annotations

from pathlib import Path

from cyberveille.trends import Trends

_TITLES = {
    "sponsor": "Incidents attributed to a state, per sponsor",
    "accuser": "Incidents with a public attribution, per accuser",
    "attribution-type": "Incidents with a public attribution, per kind of attribution",
    "incident-type": "Incidents per type",
}
MAX_GROUPS = 9  # more groups than this are summed into "other"


def write_chart(trends: Trends, path: Path, *, title: str | None = None) -> Path:
    """Draw one stacked bar per period, one colour per group, and save it.

    Args:
        trends: the counts (``trends.count``).
        path: ``.png`` or ``.svg`` (format from the extension); folders are created.
        title: overrides the default title.

    Returns:
        The path written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"{path}: the chart must be a .png or .svg file")
    groups = list(trends.groups[:MAX_GROUPS])
    rest = list(trends.groups[MAX_GROUPS:])
    series = {g: [trends.counts.get((p, g), 0) for p in trends.periods] for g in groups}
    if rest:
        series["other"] = [sum(trends.counts.get((p, g), 0) for g in rest) for p in trends.periods]
    periods = list(trends.periods)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(periods) + 3), 4.2), dpi=100)
    bottom = [0] * len(periods)
    colours = [plt.get_cmap("tab10")(i) for i in range(10)]
    for i, (group, values) in enumerate(series.items()):
        ax.bar(periods, values, bottom=bottom, label=group, color=colours[i % len(colours)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title or _TITLES[trends.by])
    ax.set_xlabel(trends.per.capitalize())
    ax.set_ylabel("Incidents (each counted once)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if trends.per == "month" or len(periods) > 12:
        ax.tick_params(axis="x", labelrotation=45)
    if series:
        ax.legend(
            title=trends.by.replace("-", " "),
            frameon=False,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
        )
    else:
        ax.text(0.5, 0.5, "no incident", ha="center", va="center", transform=ax.transAxes)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"Date": None} if path.suffix.lower() == ".svg" else {"Software": None}
    fig.savefig(path, metadata=metadata)
    plt.close(fig)
    return path
