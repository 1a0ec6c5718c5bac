import json
from datetime import date

from bot.reports.blocks import ROWS_IN_MODAL, report_tables, report_view
from bot.slack.i18n import Translator
from storage.reports import SUPPRESSED, Period, Report, Row

EMPTY_BREAKDOWNS: dict[str, tuple[Row, ...]] = {
    "employment_status": (Row("unemployed", 7), Row(None, SUPPRESSED)),
    "gender": (),
}


def report(municipalities: int = 2) -> Report:
    return Report(
        period=Period(date(2026, 1, 1), date(2026, 3, 31)),
        new_customers=SUPPRESSED,
        customers_met=12,
        meetings=15,
        meetings_by_kind=(Row("phone", 15),),
        meetings_by_month=(Row("2026-01", 15), Row("2026-02", SUPPRESSED)),
        breakdowns={
            "municipality": tuple(Row(f"Kunta {i}", 5) for i in range(municipalities)),
            **EMPTY_BREAKDOWNS,
        },
    )


def test_tables_carry_translated_labels_and_suppressed_counts() -> None:
    tables = {table.title: table.rows for table in report_tables(report(), Translator("fi"))}

    assert tables["Yhteensä"][0] == ("Uudet asiakkaat", SUPPRESSED)
    assert tables["Tavatut asiakkaat työtilanteen mukaan"] == [
        ("Työtön", 7),
        ("Ei tiedossa", SUPPRESSED),
    ]


def test_a_long_table_is_cut_short_in_the_modal() -> None:
    view = report_view(report(municipalities=ROWS_IN_MODAL + 3), Translator("en")).to_dict()

    shown = json.dumps(view["blocks"])
    assert "Kunta 29: 5" in shown and "Kunta 30" not in shown
    assert "And 3 more in the files." in shown
    assert len(view["blocks"]) <= 100
