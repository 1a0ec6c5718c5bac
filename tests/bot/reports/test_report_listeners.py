"""`/rekisteri raportti`: the modal, the files in the controller's direct message, the refusal."""

import csv
import io
import json
from datetime import UTC, datetime

from openpyxl import load_workbook

from bot.slack.ids import REPORT_VIEW
from storage.db import Database
from storage.models.enums import Role
from tests.doubles.slack_web_api import SlackWebApiDouble
from tests.e2e.harness import SlackSender, opened_view
from tests.e2e.helpers.uploads import lazy_work_done, messages_when_done, uploads_when_done
from tests.people import add_meeting, add_person, add_staff

ADVISOR = "UADVISOR1"
CONTROLLER = "UCONTROL1"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def customers_met(database: Database) -> None:
    with database.transaction() as session:
        advisor = add_staff(session, ADVISOR)
        add_staff(session, CONTROLLER, Role.CONTROLLER, language="en")
        for municipality, count in (("Esimerkkilä", 6), ("Testikylä", 4)):
            for _ in range(count):
                person = add_person(session, municipality=municipality)
                add_meeting(session, person, advisor, datetime(2025, 3, 2, 9, tzinfo=UTC))


def test_the_report_opens_in_a_modal_and_its_files_come_to_the_direct_message(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    customers_met(database)

    reply = slack.command("/rekisteri", "raportti 2025", user_id=CONTROLLER)

    assert reply.status == 200
    view = opened_view(slack_api)
    assert view["callback_id"] == REPORT_VIEW
    shown = json.dumps(view["blocks"], ensure_ascii=False)
    # 10 customers met: showing Esimerkkilä's 6 would give Testikylä's 4 away.
    assert "Esimerkkilä: x" in shown and "Esimerkkilä: 6" not in shown
    assert "Testikylä: < 5" in shown
    assert "Customers met: 10" in shown
    assert "Customers met by municipality" in shown

    uploads = uploads_when_done(slack_api, 3)
    (message,) = messages_when_done(slack_api, CONTROLLER)
    assert "report" in message["text"]
    assert sorted(upload.filename for upload in uploads) == [
        "report-20250101-20251231.csv",
        "report-20250101-20251231.png",
        "report-20250101-20251231.xlsx",
    ]
    assert len({upload.channel_id for upload in uploads}) == 1
    (csv_file, png_file, xlsx_file) = sorted(uploads, key=lambda upload: upload.filename)
    assert csv_file.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Customers met by municipality", "Testikylä", "< 5"] in rows
    assert ["Customers met by municipality", "Esimerkkilä", "x"] in rows
    assert png_file.content.startswith(PNG_SIGNATURE)
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).active
    assert sheet is not None
    cells = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert ("Testikylä", "< 5") in cells
    assert ("Esimerkkilä", "x") in cells


def test_a_malformed_period_gets_the_usage_once(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    customers_met(database)

    reply = slack.command("/register", "report 2025-13", user_id=CONTROLLER)

    assert reply.json()["text"].startswith("Usage: `/rekisteri raportti [period]`")
    lazy_work_done(slack)
    assert slack_api.calls_to("views.open") == []
    assert slack_api.calls_to("chat.postMessage") == [] and slack_api.uploads == []


def test_a_month_reads_the_same_as_its_range_of_finnish_or_iso_dates(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    customers_met(database)

    for period in ("2025-03", "1.3.2025–31.3.2025", "1.–31.3.2025", "2025-03-01 2025-03-31"):
        reply = slack.command("/rekisteri", f"raportti {period}", user_id=CONTROLLER)
        assert reply.status == 200, period
        view = opened_view(slack_api)
        assert view["blocks"][0]["text"]["text"] == "1\u2009–\u200931 Mar 2025", period
        assert "Customers met: 10" in json.dumps(view["blocks"], ensure_ascii=False)
    uploads = uploads_when_done(slack_api, 12)
    assert {upload.filename for upload in uploads} == {
        "report-20250301-20250331.csv",
        "report-20250301-20250331.png",
        "report-20250301-20250331.xlsx",
    }


def test_a_period_with_nothing_in_it_says_so_and_sends_no_files(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    customers_met(database)

    reply = slack.command("/register", "report 2025-04", user_id=CONTROLLER)

    assert reply.status == 200
    texts = [block["text"]["text"] for block in opened_view(slack_api)["blocks"] if "text" in block]
    assert texts == [
        "1\u2009–\u200930 Apr 2025",
        "*Nothing to report for this period:* no meetings were logged and no new customers were "
        "added (restricted persons are left out). No files are sent.",
    ]
    lazy_work_done(slack)
    assert slack_api.uploads == [] and slack_api.calls_to("chat.postMessage") == []


def test_a_range_of_days_is_refused_and_whole_months_are_reported(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    customers_met(database)

    reply = slack.command("/register", "report 2025-03-01 2025-03-02", user_id=CONTROLLER)
    assert reply.json()["text"].startswith("Periods are whole months")
    assert slack_api.calls_to("views.open") == []

    reply = slack.command("/register", "report 2025-Q1", user_id=CONTROLLER)
    assert reply.status == 200
    assert opened_view(slack_api)["blocks"][0]["text"]["text"] == "1 Jan\u2009–\u200931 Mar 2025"
    uploads_when_done(slack_api, 3)


def test_an_advisor_is_refused(
    slack: SlackSender, database: Database, slack_api: SlackWebApiDouble
) -> None:
    customers_met(database)

    reply = slack.command("/rekisteri", "raportti", user_id=ADVISOR)

    assert reply.json()["text"].startswith("Valitettavasti")
    assert slack_api.calls_to("views.open") == []
    assert slack_api.uploads == []
