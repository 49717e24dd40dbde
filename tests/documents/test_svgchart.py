"""Charts on web pages: SVG that the site's Content-Security-Policy allows, escaped, exact."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from coordination.documents.charts import BarChart, TrendChart
from coordination.documents.svgchart import data_table, figure, svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quotes"'


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output


def _all(root: ET.Element) -> list[ET.Element]:
    return list(root.iter())


def test_the_svg_parses_and_has_no_style_and_no_script():
    chart = BarChart(HOSTILE, [HOSTILE, "ບໍ່ ນ້ຳ"], [(HOSTILE, [3, "<5"])], unit=HOSTILE)
    markup = str(figure(chart, language="en", table_summary=HOSTILE, corner=HOSTILE))
    root = _parse(markup)
    for element in _all(root):
        assert "style" not in element.attrib, element.tag
        assert element.tag.removeprefix(SVG) not in {"style", "script", "foreignObject"}
        assert not any(name.startswith("on") for name in element.attrib)
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    # The hostile label comes back as text, exactly (title, legend, unit, category, table).
    texts = [element.text for element in _all(root) if element.text]
    assert texts.count(HOSTILE) >= 6


def test_labels_are_real_text_with_title_and_description():
    chart = TrendChart(
        "ຜູ້ເຄາະຮ້າຍ ຕາມ ເດືອນ",
        [f"ເດືອນ {number}" for number in range(1, 13)],
        [("本期", list(range(12)))],
        unit="người",
        description="Số nạn nhân trong 12 tháng",
    )
    root = _parse(svg(chart, language="lo"))
    assert root.find(f"{SVG}title").text == "ຜູ້ເຄາະຮ້າຍ ຕາມ ເດືອນ"
    assert root.find(f"{SVG}desc").text == "Số nạn nhân trong 12 tháng"
    labelled = root.get("aria-labelledby").split()
    assert [root.find(f".//*[@id='{ident}']") is not None for ident in labelled] == [True, True]
    texts = [element.text for element in root.iter(f"{SVG}text")]
    for label in ["ເດືອນ 1", "ເດືອນ 12", "本期", "người", "ຜູ້ເຄາະຮ້າຍ ຕາມ ເດືອນ"]:
        assert label in texts, label
    assert root.findall(f".//{SVG}polyline")


def _rects(root, role: str) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == f"chart-{role}"]


def test_bar_heights_are_proportional_and_bars_stand_on_the_axis():
    root = _parse(svg(BarChart("t", ["a", "b", "c"], [("s", [30, 15, 5])])))
    bars = _rects(root, "bar")
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.02)
    assert heights[0] == pytest.approx(6 * heights[2], abs=0.02)
    bottoms = {round(float(bar.get("y")) + float(bar.get("height")), 1) for bar in bars}
    assert len(bottoms) == 1


def test_a_protected_small_count_is_an_outlined_bar_and_the_table_says_less_than_5():
    chart = BarChart("t", ["a", "b"], [("s", ["<5", 40])])
    root = _parse(svg(chart))
    small = _rects(root, "small")
    assert len(small) == 1
    assert small[0].get("fill") == "none" and small[0].get("stroke-dasharray")
    assert "<5" in [element.text for element in root.iter(f"{SVG}text")]
    table = _parse(data_table(chart, corner="Office"))
    cells = [[cell.text for cell in row] for row in table.iter("tr")]
    assert cells == [["Office", "s"], ["a", "<5"], ["b", "40"]]


def test_two_charts_on_a_page_have_distinct_ids():
    first = _parse(svg(BarChart("a", ["x"], [("s", [1])])))
    second = _parse(svg(BarChart("b", ["x"], [("s", [1])])))
    assert first.get("id") != second.get("id")


def test_without_the_drawn_title_the_svg_keeps_its_title_element():
    root = _parse(svg(BarChart("Nạn nhân", ["a"], [("s", [1])]), show_title=False))
    assert root.find(f"{SVG}title").text == "Nạn nhân"
    assert "Nạn nhân" not in [element.text for element in root.iter(f"{SVG}text")]
