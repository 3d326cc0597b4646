"""Issue 12 (the analyst's morning): map classes, chart ticks and axes, numbers in the page's locale."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from gbvs import numbers
from gbvs.web import charts
from gbvs.web.shading import ZERO_CLASS, bin_for, bin_label, classify
from gbvs.web.worldmap import region_view

# Battle deaths in one year: most countries at zero, a few small wars, one very large one.
BATTLE_DEATHS = [0.0] * 140 + [26, 31, 45, 60, 88, 120, 150, 410, 700, 1_200, 1_945, 3_100, 6_518, 35_445.5]


def test_zero_is_a_class_of_its_own_and_one_war_does_not_swallow_the_world() -> None:
    bins = classify(BATTLE_DEATHS)
    assert bins[0].css_class == ZERO_CLASS and bins[0].count == 140
    positive = bins[1:]
    assert len(positive) == 4 and sum(b.count for b in positive) == len(BATTLE_DEATHS) - 140
    assert positive[-1].count < 5  # the old quintiles put every country in the "highest fifth"
    assert bin_for(0.0, bins) is bins[0] and bin_for(26.0, bins) is positive[0]


def test_skewed_counts_are_broken_on_a_log_scale() -> None:
    bins = classify([float(v) for v in (1, 2, 3, 5, 8, 10, 20, 30, 50, 100, 200, 500, 1_000, 5_000, 50_000)])
    assert bins[0].count > 1 and bins[-1].count < 4
    assert all(a.high < b.low for a, b in pairwise(bins))


def test_few_distinct_values_make_fewer_classes_and_labels_are_localised() -> None:
    bins = classify([0.0, 0.0, 1.0, 1.0])
    assert [b.css_class for b in bins] == [ZERO_CLASS, "c0"]
    wide = classify([1_200.5, 3_400.25, 9_000.0])
    assert bin_label(wide[-1], numbers.formatter("nl")) == "9.000"
    assert classify([]) == []


@pytest.mark.parametrize(
    ("lo", "hi", "expected"),
    [(0, 1, [0, 0.25, 0.5, 0.75, 1]), (0, 36_006, [0, 10_000, 20_000, 30_000]), (2_000, 2_023, None)],
)
def test_ticks_are_nice_and_never_repeat(lo: float, hi: float, expected: list[float] | None) -> None:
    ticks = charts.nice_ticks(lo, hi)
    assert len(ticks) == len(set(ticks))
    if expected is not None:
        assert ticks == expected
    for value in ticks:
        mantissa = value / 10 ** len(str(int(abs(value)))) if value else 0
        assert mantissa == 0 or round(value, 6) == value


def tick_labels(svg: str) -> list[str]:
    return re.findall(r'<text class="tick"[^>]*>([^<]*)</text>', svg)


def test_reliability_axes_read_as_percentages_with_titles_and_a_legend_with_marks() -> None:
    percent = numbers.percent_formatter("nl")
    svg = str(
        charts.line_chart(
            [
                charts.Series("ideaal", [(0.0, 0.0), (1.0, 1.0)]),
                charts.Series("model", [(0.1, 0.05), (0.9, 0.8)]),
            ],
            "T",
            "D",
            y_axis=charts.Axis("Waargenomen (%)", percent, range=(0, 1)),
            x_axis=charts.Axis("Voorspeld (%)", percent, range=(0, 1)),
        )
    )
    labels = tick_labels(svg)
    assert "0 0 0 1 1 1" not in " ".join(labels)
    assert labels[:5] == ["0%", "25%", "50%", "75%", "100%"]  # y axis
    assert labels[5:] == ["0%", "20%", "40%", "60%", "80%", "100%"]  # x axis
    assert "Waargenomen (%)" in svg and "Voorspeld (%)" in svg
    assert svg.count('class="legend-mark"') == 2 and 'stroke-dasharray="6 3"' in svg


def test_a_line_chart_of_counts_can_start_its_axis_at_zero() -> None:
    series = [charts.Series("deaths", [(2000, 300.0), (2001, 500.0)])]
    floored = str(charts.line_chart(series, "T", "D", floor_zero=True))
    assert "0" not in tick_labels(str(charts.line_chart(series, "T", "D")))  # lines start near their values
    assert "0" in tick_labels(floored)  # the deaths chart of the country page (issue 11) starts at zero


def test_a_constant_series_never_prints_the_same_tick_twice() -> None:
    svg = str(charts.line_chart([charts.Series("x", [(2000, 3.0), (2001, 3.0)])], "T", "D"))
    labels = tick_labels(svg)
    assert len(labels) == len(set(labels))


def test_battle_death_forecasts_on_a_log_axis_show_the_median_apart_from_zero() -> None:
    svg = str(
        charts.interval_chart(
            [charts.Interval(2024, 40.0, 0.0, 113_761.0)],
            "T",
            "D",
            y_axis=charts.Axis("Doden", numbers.formatter("nl", 0), log=True),
        )
    )
    assert "100.000" in tick_labels(svg)  # Dutch thousands separator, powers of ten
    circle_y = float(re.search(r'<circle cx="[^"]+" cy="([^"]+)"', svg).group(1))  # type: ignore[union-attr]
    axis_y = charts.HEIGHT - charts.MARGIN_BOTTOM
    assert axis_y - circle_y > 40  # on the old linear axis the median sat on the zero line


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [(0.003, "nl", "<1%"), (0.0, "nl", "0%"), (0.42, "en", "42%"), (0.999, "en", ">99%")],
)
def test_small_probabilities_read_below_one_percent(value: float, lang: str, text: str) -> None:
    assert numbers.percent(value, lang) == text


def test_numbers_follow_the_locale_and_signs_are_explicit() -> None:
    assert numbers.decimal(1945, "nl") == "1.945" and numbers.decimal(1945, "en") == "1,945"
    assert numbers.signed(6.518, "nl", 3) == "+6,518" and numbers.signed(-0.2, "en", 2) == "\u22120.20"


def test_a_focus_region_zooms_the_map_to_its_members() -> None:
    paths = {
        "MLI": ("Mali", "M0,0L10,0L10,10Z"),
        "NER": ("Niger", "M10,0L20,5L12,10Z"),
        "FJI": ("Fiji", "M400,9Z"),
    }
    box = [float(v) for v in (region_view(paths, {"MLI", "NER"}) or "").split()]
    assert box[0] < 0 < box[0] + box[2] and box[0] + box[2] < 30
    assert region_view(paths, {"XXX"}) is None


def test_xlsx_export_drops_control_characters_and_keeps_numbers() -> None:
    import io

    from openpyxl import load_workbook

    from gbvs.web.api.xlsx import xlsx_bytes

    content = xlsx_bytes([{"name": "Ma\x08li", "p": 0.25}], ["name", "p"], [("filter q", "\x08x")])
    data, about = load_workbook(io.BytesIO(content)).worksheets
    assert data["A2"].value == "Mali" and data["B2"].value == 0.25
    assert about["B2"].value == "x"


def test_a_series_constant_up_to_float_noise_gets_few_distinct_ticks() -> None:
    # Real panel data: a value such as 1e6 and 1e6 + 1e-9 once made the tick loop run forever.
    assert len(charts.nice_ticks(1e6, 1e6 + 1e-9)) <= charts.MAX_TICKS
    svg = str(charts.line_chart([charts.Series("x", [(2000, 1e6), (2001, 1e6 + 1e-9)])], "T", "D"))
    labels = tick_labels(svg)
    assert len(labels) == len(set(labels)) and len(labels) >= 4


def test_an_all_zero_series_gets_no_negative_axis() -> None:
    """People affected by drought, 0 in every year, were drawn on an axis from −1 to 1."""
    svg = str(charts.line_chart([charts.Series("drought", [(2000, 0.0), (2001, 0.0)])], "T", "D"))
    labels = tick_labels(svg)
    assert labels and not any(label.startswith(("-", "−")) for label in labels)
