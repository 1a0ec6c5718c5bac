"""A console session driven through its input and output streams: a person created, a meeting
logged, an access request filed, and the controller working it to the access package."""

import json
import logging
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.console.console import LOCAL_ADMIN
from storage import staff as staff_store
from storage.db import Database
from tests.bot.console.terminal import (
    Terminal,
    files_when_saved,
    number_of,
    open_terminal,
    received_today,
)
from tests.people import add_meeting, add_person

ROOT = Path(__file__).resolve().parents[3]

PERSON_ANSWERS = (
    "Testi",  # first name
    "Virtanen",  # last name
    "testi.virtanen@example.fi",
    "040 123 4567",
    "Esimerkkikatu 1",
    "00100",
    "Helsinki",  # post office
    "helsinki",  # municipality, searched by its name
    "1",  # the one municipality found, spelt as the register spells it
    "Finland",  # nationality, searched by its name
    "1",  # the one country found
    "",  # gender skipped
    "17.5.1990",  # birth date
    *[""] * 5,  # education, employment, labour market position, heard from, its details
    "1",  # source: the person
    "1",  # relationship: customer
    "1",  # legal basis: contract
    "",  # no consent: its purpose
    "",  # and its date
)


def test_a_newcomer_files_an_access_request_and_the_controller_fulfils_it(
    terminal: Terminal, tmp_path: Path
) -> None:
    shown = terminal.type("/as UCONTROLLER controller", "/as ULOCALADMIN")
    assert "You are now UCONTROLLER, as controller." in shown
    assert "You are now ULOCALADMIN." in shown

    shown = terminal.type("/customer new", *PERSON_ANSWERS)
    assert "First name: Testi" in shown
    assert "[modal: Person]" in shown
    assert "*Testi Virtanen*" in shown
    assert "testi.virtanen@example.fi" in shown

    shown = terminal.type("/close", "/meeting virtanen", *[""] * 7)
    assert "[Testi Virtanen, Helsinki; Enter keeps it]" in shown
    assert "Saved: meeting with *Testi Virtanen*" in shown

    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    received = f"{today.day}.{today.month}.{today.year}"  # no default: the advisor states it
    shown = terminal.type("/dsr", "1", "virtanen", "1", "", "", "", received, "", "")
    assert "1. Testi Virtanen, Helsinki" in shown
    assert "[direct message to UCONTROLLER]" in shown
    assert "Filed request #1: access request" in shown

    shown = terminal.type("/as UCONTROLLER", "/press 1")
    assert "[direct message to you, updated]" in shown
    assert "In progress" in shown
    assert "[1] Record identity check" in shown

    shown = terminal.type("1", "1", "")
    assert "[modal: Identity check]" in shown
    fulfil = [line for line in shown.splitlines() if "] Fulfil" in line]
    assert fulfil, shown
    number = fulfil[-1].split("] Fulfil")[0].rsplit("[", 1)[1]

    terminal.type(number)
    saved = files_when_saved(tmp_path / "files", 2)
    assert [path.suffix for path in saved] == [".html", ".json"]
    package = json.loads(saved[1].read_text())
    assert package["data"]["persons"][0]["first_name"] == "Testi"
    shown = terminal.shown_with(f"saved {saved[0]}")
    assert f"saved {saved[0]}" in shown
    assert "Fulfilled, answer not yet recorded as delivered" in shown
    record = [line for line in shown.splitlines() if "] Record delivery" in line]
    assert record, shown

    number = record[-1].split("] Record delivery")[0].rsplit("[", 1)[1]
    shown = terminal.type(number, "1", "")
    assert "[modal: Record delivery]" in shown
    assert "Completed" in shown


def test_python_m_bot_console_runs_on_the_sqlite_default(tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DATABASE_URL", "ADMIN_USER_IDS"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        cwd=tmp_path,
        env=environment | {"PYTHONPATH": str(ROOT)},
        input="/rekisteri henkilokunta\n/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "@ULOCALADMIN: pääkäyttäjä" in result.stdout
    assert (tmp_path / "data" / "register.db").exists()
    # The warnings of a first start read as notes, not as an operator's log lines.
    assert "Note: AUDIT_CHAIN_KEY is not set" in result.stderr
    assert "WARNING" not in result.stderr


def test_a_cancelled_form_brings_back_the_buttons_of_the_last_message(terminal: Terminal) -> None:
    shown = terminal.type("/customer")
    assert "[1] New person" in shown
    shown = terminal.type("1", "/cancel")
    assert "[modal: New person]" in shown
    assert "Closed the form." in shown
    assert "(Buttons shown last: [1] New person)" in shown


def test_only_an_admin_makes_staff_and_a_stranger_is_refused(terminal: Terminal) -> None:
    shown = terminal.type("/as UNOBODY", "/as UOTHER controller", "/customer virtanen")
    assert "Only an admin can give a role" in shown
    assert "only the register's staff can use this bot" in shown


def test_a_job_runs_once_for_its_period_unless_forced(
    terminal: Terminal, database: Database
) -> None:
    today = datetime.now(ZoneInfo("Europe/Helsinki"))
    with database.transaction() as session:
        admin = staff_store.find(session=session, slack_user_id=LOCAL_ADMIN)
        assert admin is not None
        person = add_person(session, "Testi", "Seuranta")
        add_meeting(session, person, admin, today - timedelta(days=7), follow_up_on=today.date())
    period = today.date().isoformat()

    first = terminal.type("/jobs run follow-ups")
    second = terminal.type("/jobs run follow-ups")
    forced = terminal.type("/jobs run follow-ups --force")
    wrong = terminal.type("/jobs run no-such-job")

    assert f"follow-ups ran for {period}: 1 advisor told of their follow-ups" in first
    assert "[direct message to you]" in first and "Your follow-ups today" in first
    assert "*Testi Seuranta*" in first
    assert f"follow-ups already ran for {period}; nothing done" in second
    assert "/jobs run follow-ups --force runs it again" in second
    assert "Your follow-ups today" not in second
    assert f"follow-ups ran for {period}" in forced
    assert "Your follow-ups today" not in forced  # the outbox sends each reminder once
    assert "Usage: /jobs run NAME [--force]" in wrong


def access_request(search: str) -> tuple[str, ...]:
    """The answers of the request form: an access request about the person found."""
    return ("/dsr", "1", search, "1", "", "", "", received_today(), "", "")


def test_an_earlier_alert_s_buttons_stay_within_reach(terminal: Terminal) -> None:
    terminal.type("/as UCONTROLLER controller", "/as ULOCALADMIN")
    terminal.type("/customer new", *PERSON_ANSWERS, "/close")
    shown = terminal.type(*access_request("virtanen"))
    shown += terminal.type("/dsr", "1", "", "Testi Pyytäjä", "", "", received_today(), "", "")
    assert "Filed request #2" in shown
    first_alert = re.findall(r"\[direct message to UCONTROLLER\] \(message (\d+)\)", shown)[0]

    # Searching shows other buttons: the first alert is no longer the last message.
    shown = terminal.type("/as UCONTROLLER", "/customer virtanen", "/messages")
    assert "Recent messages" in shown
    assert f"(message {first_alert}) [direct message to you] Data subject request #1" in shown
    assert f"[{first_alert}.1] Start" in shown
    shown = terminal.type(f"{first_alert}.1")
    assert f"[direct message to you, updated] (message {first_alert})" in shown
    assert "In progress" in shown

    # The Home tab lists both requests, each with the buttons that apply to it now.
    shown = terminal.type("/home")
    assert "[Home tab]" in shown
    assert shown.count("] Start") == 1  # request #2; #1 has been started
    assert shown.count("] Record identity check") == 2
    shown = terminal.type(number_of(shown, "Start"), "")
    assert "Data subject request #2" in shown and "In progress" in shown


def test_a_request_with_neither_person_nor_name_asks_for_the_name(terminal: Terminal) -> None:
    terminal.type("/as UCONTROLLER controller", "/as ULOCALADMIN")
    form = ("/dsr", "1", "", "", "", "", received_today(), "", "")
    shown = terminal.type(*form, "", "Testi Pyytäjä")
    assert "! Person: Choose the person, or give the requester's name below" in shown
    assert "! Requester's name: Give the requester's name here" in shown
    assert "Filed request #1" in shown


DUPLICATE_ANSWERS = (
    "Testi",
    "Virtanen",
    "ei-osoite",  # a bad e-mail, asked again alone
    *[""] * 7,
    "17.5.1990",  # the same name and birth date: a duplicate
    *[""] * 5,
    "1",
    "1",
    "1",
    "",  # no consent: its purpose
    "",  # and its date
)


def test_a_form_given_back_keeps_every_answer(terminal: Terminal) -> None:
    terminal.type("/customer new", *PERSON_ANSWERS, "/close")

    shown = terminal.type("/customer new", *DUPLICATE_ANSWERS, "testi.toinen@example.fi", "")
    assert "! E-mail:" in shown
    assert shown.count("First name") == 1  # only the e-mail was asked again
    assert "The register may already have this person" in shown
    assert "Not the same person? (numbers, comma-separated)" in shown
    assert "! Not the same person?" not in shown
    assert "The form keeps your answers" in shown

    # The warning's button opens the card of the match; closing it returns to the form.
    shown = terminal.type(number_of(shown, "Open card"))
    assert "testi.virtanen@example.fi" in shown
    shown = terminal.type("/close", "1")
    assert "First name" not in shown
    assert "*Testi Virtanen*" in shown and "testi.toinen@example.fi" in shown


def test_an_unknown_command_points_to_help_in_the_staff_member_s_language(
    terminal: Terminal, caplog: pytest.LogCaptureFixture
) -> None:
    shown = terminal.type("/foo", "/press x")
    assert "Unknown command /foo: /help lists the commands." in shown
    assert "Press a button by its number" in shown
    assert not caplog.records

    shown = terminal.type("/rekisteri kieli fi", "/foo", "/help", "/messages", "/press 9.1")
    assert "Tuntematon komento /foo: /help luettelee komennot." in shown
    assert "Konsolin omat komennot" in shown
    assert "Viimeisimmät viestit" in shown
    assert "Viestiä 9 ei ole" in shown


def test_the_messages_read_for_whoever_is_acted_as_in_their_language(terminal: Terminal) -> None:
    terminal.type("/as UCONTROLLER controller", "/as ULOCALADMIN", "/as UADVISOR advisor")
    terminal.type("/customer new", *PERSON_ANSWERS, "/close", "/rekisteri kieli fi")
    terminal.type(*access_request("virtanen"))

    shown = terminal.type("/as UCONTROLLER", "/messages")
    assert "[only UADVISOR can see this] Pyyntö #1 kirjattu" in shown
    assert "[direct message to you] Data subject request #1" in shown
    assert "vain sinä" not in shown and "yksityisviesti" not in shown

    shown = terminal.type("/as UADVISOR", "/messages")
    assert "[vain sinä näet tämän] Pyyntö #1 kirjattu" in shown
    assert "[yksityisviesti käyttäjälle UCONTROLLER] Data subject request #1" in shown


def test_leaving_at_once_lets_the_work_in_the_background_end_quietly(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with open_terminal(database, tmp_path / "files") as terminal:
        terminal.type("/as UCONTROLLER controller", "/as ULOCALADMIN")
        terminal.type("/customer new", *PERSON_ANSWERS, "/close", *access_request("virtanen"))
        terminal.type("/as UCONTROLLER", "1", "1", "1", "")
        terminal.type(number_of(terminal.shown() + terminal.type("/messages"), "Fulfil"))
    # Left at once, as /quit does: the access package is still made, sent and saved.

    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert sorted(path.suffix for path in (tmp_path / "files").glob("*")) == [".html", ".json"]


def test_the_home_tab_s_buttons_are_pressed_over_a_modal_left_open(terminal: Terminal) -> None:
    terminal.type("/as UCONTROLLER controller", "/as ULOCALADMIN")
    terminal.type("/customer new", *PERSON_ANSWERS, "/close", *access_request("virtanen"))
    shown = terminal.type("/as UCONTROLLER", "/home")
    shown = terminal.type(number_of(shown, "Extend"), "Many requests at once.")
    assert "[modal: Deadline extended]" in shown

    # The notice has no buttons: a number says how to reach those of the alert above it.
    shown = terminal.type("1")
    assert "The modal open has no button 1: /close closes it" in shown

    # The Home tab, opened over the notice, is what its numbers press.
    shown = terminal.type("/home")
    shown = terminal.type(number_of(shown, "Record identity check"), "/cancel")
    assert "[modal: Identity check]" in shown
    assert "(Buttons shown last: the Home tab's; /home shows them again.)" in shown


def test_the_admin_sets_the_agencys_settings_in_the_console(terminal: Terminal) -> None:
    shown = terminal.type("/register settings timezone Mars/Olympus")
    assert "Give a time zone by its name, such as `Europe/Helsinki`." in shown

    shown = terminal.type("/register settings customers 24")
    assert "Saved." in shown and "24" in shown

    shown = terminal.type(
        "/jobs run retention-review --agency 1", "/jobs run follow-ups --agency 9"
    )
    assert "retention-review ran for" in shown
    assert "No agency 9 at work (unknown, or uninstalled)." in shown


def test_the_local_admin_exports_and_then_erases_the_register(
    terminal: Terminal, database: Database, tmp_path: Path
) -> None:
    with database.transaction() as session:
        add_person(session, "Testi", "Virtanen")

    shown = terminal.type("/register export")
    assert "it comes to you as a direct message" in shown
    (archive,) = files_when_saved(tmp_path / "files", 1)
    assert archive.name.startswith("register-") and archive.suffix == ".zip"

    shown = terminal.type("/register erase", "erase")
    assert "[modal: Erase the register]" in shown
    assert "Persons: 1" in shown
    shown += terminal.shown_with("has been erased")
    assert "1 person was erased." in shown
    with database.reading() as session:
        assert staff_store.find(session=session, slack_user_id=LOCAL_ADMIN) is None
