"""Tables as XLSX, read back as a spreadsheet program would: real numbers and dates, text
that never runs as a formula, valid and unique sheet names."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from coordination.documents.xlsx import Sheet, sheet_name, workbook


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_numbers_dates_and_text_come_back_as_such():
    rows = (
        row
        for row in [
            ["凭祥边境管理大队", 12, date(2026, 11, 3), datetime(2026, 11, 3, 5, 30, tzinfo=UTC)],
            ["ບໍ່ ນ້ຳ", "<5", None, datetime(2026, 1, 2, 8, 0)],
            ["Nguyễn Thị Hường", Decimal("2.5"), date(2025, 12, 31), time(7, 45)],
            ["Total", 1.25, True, 10**16],
        ]
    )  # a generator: rows are streamed
    book = _read(
        workbook(
            [Sheet("Offices", ["Office", "Victims", "Date", "When"], rows)],
            time_zone=ZoneInfo("Asia/Vientiane"),
        )
    )
    sheet = book["Offices"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["Office", "Victims", "Date", "When"]
    assert values[1] == [
        "凭祥边境管理大队",
        12,
        datetime(2026, 11, 3),
        datetime(2026, 11, 3, 12, 30),
    ]
    assert values[2][:2] == ["ບໍ່ ນ້ຳ", "<5"] and values[2][3] == datetime(2026, 1, 2, 8, 0)
    assert values[3][:3] == ["Nguyễn Thị Hường", 2.5, datetime(2025, 12, 31)]
    assert values[4] == ["Total", 1.25, True, "10000000000000000"]  # too long for a number
    assert sheet["B2"].data_type == "n" and sheet["B3"].data_type == "s"
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["D4"].is_date  # a time of day
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    # Columns as wide as their content (the Chinese name counts double).
    assert sheet.column_dimensions["A"].width >= 16
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width


def test_formula_like_text_is_stored_as_text_and_never_executes():
    hostile = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']
    data = workbook([Sheet("T", ["=header"], [[text] for text in hostile])])
    sheet = _read(data)["T"]
    cells = [row[0] for row in sheet.iter_rows()]
    # A carriage return is a line break in a cell (still escaped at the start).
    assert [cell.value for cell in cells] == ["=header", *hostile[:5], "\n=1", hostile[6]]
    for cell in cells:
        assert cell.data_type == "s", cell.value  # openpyxl says "f" for a formula
        assert cell.quotePrefix, cell.value
    assert b"<f>" not in _unzipped(data)
    # Ordinary text has no quote prefix.
    plain = _read(workbook([Sheet("T", ["a"], [["x-1"], ["<5"]])]))["T"]
    assert not plain["A2"].quotePrefix and plain["A3"].value == "<5"


def _unzipped(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


def test_sheet_names_are_sanitised_and_unique():
    names = ["Victims [by]: office/*?\\", "Victims by office", "x" * 40, "x" * 40, "", "history"]
    book = _read(workbook([Sheet(name, ["a"], [[1]]) for name in names]))
    assert book.sheetnames == [
        "Victims by office",
        "Victims by office (2)",
        "x" * 31,
        "x" * 27 + " (2)",
        "Sheet",
        "History 1",
    ]
    assert all(len(name) <= 31 for name in book.sheetnames)
    taken: set[str] = set()
    assert sheet_name("Kỳ này", taken) == "Kỳ này"
    assert sheet_name("KỲ NÀY", taken) == "KỲ NÀY (2)"  # Excel ignores case


def test_control_characters_are_dropped_and_an_empty_workbook_opens():
    sheet = _read(workbook([Sheet("T", ["a"], [["bell\x07 and\x00 nul"]])]))["T"]
    assert sheet["A2"].value == "bell and nul"
    assert _read(workbook([])).sheetnames == ["Sheet"]
    assert _read(workbook([Sheet("Empty", ["a", "b"], [])]))["Empty"].max_row == 1
