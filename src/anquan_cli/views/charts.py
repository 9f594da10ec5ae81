"""Charts for the DOCX reports, drawn with matplotlib (imported only here, only when a DOCX is
made).  Chinese labels need a CJK font: the first installed of the usual ones is used; when
there is none the chart is still drawn and :func:`font_warning` says what to install."""

from __future__ import annotations

import io
from functools import cache

__all__ = ["cjk_font", "font_warning", "bars", "trend"]

CANDIDATES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC",
              "AR PL UMing CN", "AR PL SungtiL GB", "FangSong", "SimSun")


_FILE_HINTS = ("notosanscjk", "notoserifcjk", "sourcehansans", "wqy", "simhei", "msyh", "pingfang",
               "uming", "gbsn", "simsun", "simfang")


@cache
def cjk_font() -> str | None:
    """The first usable CJK family; fonts installed after matplotlib built its cache are
    found by scanning the system's font files."""
    from matplotlib import font_manager

    def known():
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CANDIDATES if name in installed), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(h in path.lower().replace("-", "").replace("_", "") for h in _FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = known()
    return found


def font_warning() -> str | None:
    if cjk_font() is not None:
        return None
    return ("未找到中文字体，图表中的中文可能显示为方框：请安装 Noto Sans CJK（Debian/Ubuntu：apt-get install "
            "fonts-noto-cjk）、文泉驿或黑体后重新生成")


def _figure(width=6.4, height=3.2):
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    font = cjk_font()
    rc = {"axes.unicode_minus": False, "font.size": 9}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    matplotlib.rcParams.update(rc)
    fig = Figure(figsize=(width, height), dpi=150)
    return fig, fig.subplots()


def _png(fig) -> bytes:
    import warnings

    buf = io.BytesIO()
    with warnings.catch_warnings():  # missing glyphs are reported once, by font_warning()
        warnings.simplefilter("ignore")
        fig.tight_layout()
        fig.savefig(buf, format="png")
    return buf.getvalue()


#: at most this many categories are drawn as upright bars; more lie down, one row each
UPRIGHT = 6


def _wrapped(name: str, width: int = 4) -> str:
    """A category name broken every ``width`` characters (an upright bar's label is that wide)."""
    return "\n".join(name[i:i + width] for i in range(0, len(name), width)) or name


def bars_figure(rows: list[dict], title: str):
    """:func:`bars` as a matplotlib figure: upright bars with names wrapped under them for a few
    categories; for more, lying bars with a row per category and the figure as tall as they need
    (names never overlap, however many sectors a county has)."""
    names = [r["name"] for r in rows]
    found, still = [r["found"] for r in rows], [r["open"] for r in rows]
    if len(rows) <= UPRIGHT:
        lines = max((len(_wrapped(n).split("\n")) for n in names), default=1)
        fig, ax = _figure(height=3.0 + 0.18 * lines)
        xs = range(len(rows))
        ax.bar([x - 0.2 for x in xs], found, width=0.4, label="本期发现", color="#4472c4")
        ax.bar([x + 0.2 for x in xs], still, width=0.4, label="期末未销号", color="#c0504d")
        ax.set_xticks(list(xs), [_wrapped(n) for n in names])
        ax.yaxis.get_major_locator().set_params(integer=True)
    else:
        fig, ax = _figure(height=1.2 + 0.3 * len(rows))
        ys = range(len(rows))
        ax.barh([y - 0.2 for y in ys], found, height=0.4, label="本期发现", color="#4472c4")
        ax.barh([y + 0.2 for y in ys], still, height=0.4, label="期末未销号", color="#c0504d")
        ax.set_yticks(list(ys), names)
        ax.invert_yaxis()  # the first row on top, as in the table below the chart
        ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title)
    ax.legend(loc="best")
    return fig


def bars(rows: list[dict], title: str) -> bytes:
    """Grouped bars per category: found in the period and still open at its end."""
    return _png(bars_figure(rows, title))


#: the four colours of 风险分级 (重大 red, 较大 orange, 一般 yellow, 低 blue)
RISK_COLOURS = ("#c00000", "#ed7d31", "#ffc000", "#4472c4")


def risk_spread(rows: list[dict], labels: list[str], title: str) -> bytes:
    """Stacked bars per township: its risks of each grade in the grade's colour (seed 004
    "绘制安全风险空间分布图"); taller and with rotated names when there are many townships."""
    many = len(rows) > 8
    fig, ax = _figure(height=3.2 + (0.8 if many else 0))
    names = [r["name"] for r in rows]
    bottom = [0] * len(rows)
    for i, (label, colour) in enumerate(zip(labels, RISK_COLOURS)):
        values = [r["counts"][i] for r in rows]
        ax.bar(names, values, bottom=bottom, color=colour, label=label)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_xticks(range(len(names)), names, rotation=45 if many else 0, ha="right" if many else "center")
    ax.set_title(title)
    ax.legend(ncols=4, loc="upper right", fontsize=8)
    ax.set_ylim(top=max(bottom or [1]) * 1.25 + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def trend(rows: list[dict], title: str) -> bytes:
    """Found vs closed per month."""
    fig, ax = _figure()
    labels = [r["label"] for r in rows]
    ax.plot(labels, [r["found"] for r in rows], marker="o", label="排查发现", color="#4472c4")
    ax.plot(labels, [r["closed"] for r in rows], marker="s", label="验收销号", color="#70ad47")
    ax.set_title(title)
    ax.legend()
    ax.yaxis.get_major_locator().set_params(integer=True)
    return _png(fig)


def accident_trend(rows: list[dict], title: str) -> bytes:
    """Accidents per month (bars) and the dead (a line on its own axis)."""
    fig, ax = _figure()
    labels = [r["label"] for r in rows]
    ax.bar(labels, [r["count"] for r in rows], color="#4472c4", label="事故起数")
    ax.yaxis.get_major_locator().set_params(integer=True)
    right = ax.twinx()
    right.plot(labels, [r["deaths"] for r in rows], marker="o", color="#c0504d", label="死亡人数")
    right.yaxis.get_major_locator().set_params(integer=True)
    right.set_ylim(bottom=0)
    ax.set_title(title)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles, ["事故起数", "死亡人数"], loc="upper left")
    return _png(fig)
