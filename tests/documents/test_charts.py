"""Charts in PDFs: vector drawings whose every label comes back exactly, in every script."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from coordination.documents.charts import (
    BarChart,
    Box,
    Dot,
    Label,
    Trace,
    TrendChart,
    drawing,
    format_value,
    layout,
    nice_ticks,
)
from coordination.documents.layout import CONTENT_WIDTH, render_pdf
from tests.documents.pdftext import needs_poppler, squash, text

# title, categories, series names, unit, month word: as a report would pass them.
LANGUAGES = {
    "vi": (
        "Nạn nhân được tiếp nhận theo đơn vị",
        ["Đồn Biên phòng Lóng Sập", "Trung tâm Bảo trợ xã hội Hường", "Cục Cảnh sát hình sự"],
        ["Kỳ này", "Kỳ trước", "Cùng kỳ năm trước"],
        "người",
        "Tháng",
    ),
    "lo": (
        "ຜູ້ເຄາະຮ້າຍ ທີ່ ໄດ້ ຮັບ ຕາມ ຫ້ອງການ",
        ["ດ່ານ ບໍ່ ຫົວໜ້າ ນ້ຳ", "ສູນ ສົມສັກ ເຄື່ອງ", "ກົ້ ຕໍ່ ຂໍ້"],
        ["ໄລຍະ ນີ້", "ໄລຍະ ກ່ອນ", "ປີ ກາຍ"],
        "ຜູ້ເຄາະຮ້າຍ",
        "ເດືອນ",
    ),
    "zh": (
        "按单位接收的受害者",
        ["凭祥边境管理大队", "丹沙湾检查站", "公安部刑侦局"],
        ["本期", "上期", "去年同期"],
        "人",
        "月",
    ),
    "en": (
        "Victims received by office",
        ["Long Sap Border Post", "Social Protection Centre", "Criminal Police Department"],
        ["This period", "Previous period", "Same period last year"],
        "people",
        "Month",
    ),
}


def _charts(language: str):
    title, categories, names, unit, month = LANGUAGES[language]
    bars = BarChart(
        title,
        categories,
        [(names[0], [12, "<5", 1230]), (names[1], [7, 3, 180]), (names[2], [None, "<5", 95])],
        unit,
        note=f"<5: {title}",
    )
    months = [f"{month} {number}/2026" for number in range(1, 13)]
    trend = TrendChart(
        title,
        months,
        [
            (names[0], [3, 8, "<5", 12, 15, 9, None, 22, 30, 18, "<5", 11]),
            (names[1], list(range(5, 17))),
        ],
        unit,
    )
    trend_bars = TrendChart(title, months, [(names[0], [3, 8, "<5", 12] * 3)], unit, kind="bar")
    return bars, trend, trend_bars


def _pdf(language: str) -> bytes:
    story = [drawing(chart, CONTENT_WIDTH, language) for chart in _charts(language)]
    return render_pdf(story, header_left="", page_label=lambda page, pages: "", invariant=True)


def _labels(chart, language: str) -> list[str]:
    return [
        item.text
        for item in layout(chart, CONTENT_WIDTH, language).items
        if isinstance(item, Label)
    ]


@needs_poppler
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chart_label_comes_back_exactly_from_the_pdf(language):
    pdf = _pdf(language)
    raw = squash(text(pdf, "-raw"))
    title, categories, names, unit, _month = LANGUAGES[language]
    expected = [title, *categories, *names, unit, "<5", "1/2026", "12/2026", f"<5: {title}"]
    for chart in _charts(language):
        expected += _labels(chart, language)  # ticks, wrapped lines, values
    for label in expected:
        assert squash(label) in raw, label
    # Whole words as a reader's search finds them (the layout mode of pdftotext).
    words = text(pdf).split()
    for word in {
        "lo": ["ເດືອນ", "ຜູ້ເຄາະຮ້າຍ", "ບໍ່", "ນ້ຳ", "ຫົວໜ້າ", "ເຄື່ອງ"],
        "vi": ["Nạn", "Hường", "người", "Tháng"],
        "zh": ["人"],
        "en": ["Victims", "people"],
    }[language]:
        assert word in words, word
    if language == "zh":
        assert "凭祥边境管理大队" in raw and "去年同期" in raw
    if language == "vi":
        assert "1.230" in raw  # numbers as Vietnamese write them
    if language == "en":
        assert "1,230" in raw


def test_the_chart_is_vector_in_the_documents_fonts():
    pdf = _pdf("lo")
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        resources = page["/Resources"]
        assert "/XObject" not in resources or not any(
            resources["/XObject"][name].get_object()["/Subtype"] == "/Image"
            for name in resources["/XObject"]
        )
        fonts |= {resources["/Font"][name].get_object()["/BaseFont"] for name in resources["/Font"]}
    assert b"/Subtype /Image" not in pdf
    assert all("Coordination" in font for font in fonts), fonts
    assert any("CoordinationSans" in font for font in fonts)
    zh_fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(io.BytesIO(_pdf("zh"))).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CoordinationHan" in font for font in zh_fonts), zh_fonts


def _bars(chart):
    return [item for item in layout(chart).items if isinstance(item, Box) and item.role == "bar"]


def test_bar_heights_are_proportional_to_the_values():
    chart = BarChart("t", ["a", "b", "c"], [("s", [40, 20, 10])])
    heights = [bar.height for bar in _bars(chart)]
    assert heights[0] == pytest.approx(2 * heights[1]) == pytest.approx(4 * heights[2])
    xs = [bar.x for bar in _bars(chart)]
    assert xs == sorted(xs)
    # Grouped: one bar per series in each category, the series side by side.
    grouped = BarChart("t", ["a", "b"], [("now", [4, 8]), ("before", [6, 2])])
    assert [bar.fill for bar in _bars(grouped)][:2] != [None, None]
    assert len(_bars(grouped)) == 4


def test_a_protected_small_count_is_an_outlined_bar_labelled_as_written():
    chart = BarChart("t", ["a", "b"], [("s", ["<5", 100])])
    items = layout(chart).items
    small = [item for item in items if isinstance(item, Box) and item.role == "small"]
    assert len(small) == 1 and small[0].fill is None and small[0].dashed and small[0].stroke
    assert small[0].height < _bars(chart)[0].height / 10
    assert any(isinstance(item, Label) and item.text == "<5" for item in items)
    # Only protected counts: the axis still reaches 5.
    only_small = layout(BarChart("t", ["a"], [("s", ["<5"])])).items
    ticks = [item.text for item in only_small if isinstance(item, Label) and item.role == "tick"]
    assert ticks[-1] == "5"


def test_a_line_breaks_at_a_protected_count_and_labels_the_gap():
    chart = TrendChart(
        "t", [str(month) for month in range(1, 7)], [("s", [1, 2, "<5", 4, None, 6])]
    )
    items = layout(chart).items
    traces = [item for item in items if isinstance(item, Trace)]
    assert [len(trace.points) for trace in traces] == [2]  # 1-2; then 4 and 6 stand alone
    assert len([item for item in items if isinstance(item, Dot)]) == 4
    assert [item.text for item in items if isinstance(item, Label) and item.role == "small"] == [
        "<5"
    ]


def test_nice_ticks():
    assert nice_ticks(1230) == [0, 250, 500, 750, 1000, 1250]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(3) == [0, 1, 2, 3]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(0.4) == [0, 1]
    assert all(tick == int(tick) for tick in nice_ticks(37))


def test_numbers_are_written_in_the_readers_language():
    assert format_value(1234, "vi") == "1.234"
    assert format_value(1234, "en") == "1,234"
    assert format_value(2.5, "vi") == "2,5"
    assert format_value("<5", "vi") == "<5"
    assert format_value(None) == ""
    assert format_value(float("nan")) == ""


def test_many_long_labels_wrap_and_the_drawing_grows():
    short = drawing(BarChart("t", ["a"] * 3, [("s", [1, 2, 3])]), 300)
    long = drawing(BarChart("t", ["ສູນ ສົມສັກ ເຄື່ອງ ຫົວໜ້າ ນ້ຳ ບໍ່ ຂໍ້ ຕໍ່"] * 3, [("s", [1, 2, 3])]), 300)
    assert long.height > short.height
    assert long.width == short.width == 300


@pytest.mark.parametrize(
    "chart",
    [
        BarChart("", [], []),
        BarChart("t", ["a", "b"], [("s", [None, None])]),
        BarChart("t", ["a"], [("s", [])], unit=""),  # too few values: no data
        TrendChart("t", ["1", "2"], [("s", [10**12, 3, 99])]),  # too many: cut
        TrendChart("t", ["1"], [("s", [float("inf")])], kind="bar"),
    ],
)
def test_odd_charts_still_draw(chart):
    result = drawing(chart, 200)
    assert result.width == 200 and result.height > 0
    pdf = render_pdf([result], header_left="", page_label=lambda page, pages: "")
    assert pdf.startswith(b"%PDF")


def test_the_title_may_be_left_to_a_heading():
    chart = BarChart("Nạn nhân", ["a"], [("s", [1])])
    shown = [item.text for item in layout(chart).items if isinstance(item, Label)]
    hidden = [
        item.text for item in layout(chart, show_title=False).items if isinstance(item, Label)
    ]
    assert "Nạn nhân" in shown and "Nạn nhân" not in hidden
    assert drawing(chart, 300, show_title=False).height < drawing(chart, 300).height


def test_legend_entries_do_not_overlap():
    long_name = "ໄລຍະ ນີ້ " * 20
    chart = BarChart("t", ["a"], [("short", [1]), (long_name, [2]), ("after", [3])])
    legend = [item for item in layout(chart, 300).items if isinstance(item, Label)]
    legend = [item for item in legend if item.role == "legend"]
    assert len({round(item.y, 2) for item in legend}) == len(legend)  # each on its own line
