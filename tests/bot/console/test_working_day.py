"""A new user's working day in the console, from the first staff to the last request closed.

An admin makes an advisor and the register's contact person. The advisor, in Finnish, adds
three made-up persons, logs meetings, searches, and files a request of every kind the bot
serves, one of them from a requester the register does not know. The contact person, in
English, works every request to its end (a copy of a person's data before their erasure),
pressing the buttons of alerts that have long scrolled away: through /messages and M.N, and
through the Home tab. At the end no request is open, the erased person is gone, the
restricted one is marked so, and nothing printed a traceback or a log line."""

import logging
import re
import threading
import time

import pytest
from sqlalchemy import select

from storage.db import Database
from storage.enums import RequestKind, RequestStatus
from storage.models import DataSubjectRequest
from tests.bot.console.terminal import Terminal, number_of, received_today

ADVISOR = "UNEUVOJA"
CONTACT = "UYHTEYS"
# The request form lists the kinds in this order.
KIND = {kind: str(number) for number, kind in enumerate(RequestKind, 1)}
IDENTITY_CHECKED = ("1", "")  # from the e-mail address the register knows; no other way
ANSWER_DELIVERED = ("1", "")  # by e-mail, on the day shown (today)
BACKGROUND_WAIT_SECONDS = 30


def new_person(first: str, last: str, email: str, municipality: str, birth: str) -> tuple[str, ...]:
    """`/asiakas uusi` and the answers of its form: a customer on contract, who told us
    themselves."""
    return (
        "/asiakas uusi",
        first,
        last,
        email,
        *[""] * 4,  # phone numbers, street address, postal code, post office
        municipality,  # searched by its name
        "1",  # the one municipality found
        "",  # nationality
        "",  # gender
        birth,
        *[""] * 5,  # education, employment, labour market position, heard from, its details
        "1",  # source: the person
        "1",  # relationship: customer
        "1",  # legal basis: contract
        "",  # no consent: its purpose
        "",  # and its date
    )


def request_about(kind: RequestKind, search: str) -> tuple[str, ...]:
    """`/tietopyynto` and its answers: a request about the one person the search finds,
    received today by e-mail, in Finnish."""
    return ("/tietopyynto", KIND[kind], search, "1", "", "", "", received_today(), "", "")


def request_from_stranger(kind: RequestKind, name: str, contact: str) -> tuple[str, ...]:
    """The same from a requester the register does not know: no person, their name instead."""
    return ("/tietopyynto", KIND[kind], "", name, contact, "", received_today(), "", "")


def rectified_email(email: str) -> tuple[str, ...]:
    """The person's edit form, every answer kept but the e-mail."""
    return ("", "", email, *[""] * 19)


def on_home(terminal: Terminal, request: int, label: str) -> str:
    """Opens the Home tab; the number of the button `label` beside request #`request`."""
    shown = terminal.type("/home")
    row = re.search(rf"\*#{request}\*.*\n(.*)\n", shown)
    assert row, shown
    return number_of(row.group(1), label)


def in_messages(terminal: Terminal, request: int, label: str) -> str:
    """Lists the recent messages; `M.N` of the button `label` on request #`request`'s alert."""
    shown = terminal.type("/messages")
    alert = re.search(rf"\(message \d+\) \[[^]]*\] Data subject request #{request}\n(.*)\n", shown)
    assert alert, shown
    return number_of(alert.group(1), label)


def when_shown(terminal: Terminal, text: str) -> str:
    """Presses Enter, as the console's guide says, until what the bot finishes in the
    background (an access or portability package) is shown."""
    shown = ""
    deadline = time.monotonic() + BACKGROUND_WAIT_SECONDS
    while text not in shown and time.monotonic() < deadline:
        shown += terminal.type("")
        if text not in shown:
            threading.Event().wait(0.05)
    assert text in shown, shown
    return shown


def start_and_check_identity(terminal: Terminal, request: int) -> None:
    """Starts request #`request` from the Home tab and records how the identity was checked."""
    shown = terminal.type(on_home(terminal, request, "Start"))
    assert f"Data subject request #{request}" in shown and "In progress" in shown
    shown = terminal.type(on_home(terminal, request, "Record identity check"), *IDENTITY_CHECKED)
    assert "[modal: Identity check]" in shown
    assert "From the e-mail address the register knows" in shown


def record_delivery(terminal: Terminal, request: int) -> None:
    """Records from the Home tab that the answer reached the requester: the request is done."""
    shown = terminal.type(on_home(terminal, request, "Record delivery"), *ANSWER_DELIVERED)
    assert "[modal: Record delivery]" in shown
    assert f"Data subject request #{request}" in shown and "Completed" in shown


def test_a_working_day_ends_with_every_request_worked_to_the_end(
    terminal: Terminal, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # The admin, who starts the console, makes an advisor and the register's contact person.
    shown = terminal.type(
        f"/rekisteri lisaa @{ADVISOR} neuvoja", f"/rekisteri lisaa @{CONTACT} yhteyshenkilo"
    )
    assert f"@{ADVISOR} is now an advisor." in shown
    assert f"@{CONTACT} is now a contact person for register matters." in shown

    # The advisor works in Finnish.
    shown = terminal.type(f"/as {ADVISOR}", "/rekisteri kieli fi")
    assert "Puhun sinulle tästä lähtien suomea." in shown

    # Three made-up persons, each shown on their card once saved.
    for answers in (
        new_person("Testi", "Virtanen", "testi.virtanen@example.fi", "helsinki", "17.5.1990"),
        new_person("Maija", "Esimerkki", "maija.esimerkki@example.fi", "tampere", "3.2.1985"),
        new_person("Olli", "Koehenkilö", "olli.koehenkilo@example.fi", "espoo", "9.9.1979"),
    ):
        shown = terminal.type(*answers, "/close")
        assert "[ikkuna: Henkilö]" in shown
        assert f"*{answers[1]} {answers[2]}*" in shown

    # Two meetings, the person chosen by the search the command carries.
    for search, name in (("virtanen", "Testi Virtanen"), ("esimerkki", "Maija Esimerkki")):
        shown = terminal.type(f"/tapaaminen {search}", *[""] * 7)
        assert f"Tallennettu: tapaaminen, *{name}*" in shown

    # A search.
    shown = terminal.type("/asiakas koehenkilö")
    assert "*Olli Koehenkilö*" in shown and "[1] Avaa kortti" in shown

    # A request of every kind: Testi Virtanen asks for a copy of their data, its rectification,
    # its transfer and objects to marketing; Maija Esimerkki wants a copy and then to be
    # erased, Olli Koehenkilö their data restricted; and someone the register does not know
    # asks for their data.
    for number, (kind, search) in enumerate(
        (
            (RequestKind.ACCESS, "virtanen"),
            (RequestKind.RECTIFICATION, "virtanen"),
            (RequestKind.ERASURE, "esimerkki"),
            (RequestKind.RESTRICTION, "koehenkilö"),
            (RequestKind.PORTABILITY, "virtanen"),
            (RequestKind.OBJECTION, "virtanen"),
            (RequestKind.ACCESS, "esimerkki"),  # a copy before the erasure, in the same e-mail
        ),
        1,
    ):
        shown = terminal.type(*request_about(kind, search))
        assert f"[yksityisviesti käyttäjälle {CONTACT}]" in shown
        assert f"Pyyntö #{number} kirjattu" in shown
    shown = terminal.type(
        *request_from_stranger(RequestKind.ACCESS, "Taru Tuntematon", "taru@example.fi")
    )
    assert "Pyyntö #8 kirjattu: tarkastuspyyntö, pyytäjä, joka ei ole rekisterissä" in shown

    # The contact person works in English, and finds the requests on the Home tab.
    shown = terminal.type(f"/as {CONTACT}", "/rekisteri kieli en", "/home")
    assert "I will speak English with you from now on." in shown
    assert all(f"*#{number}*" in shown for number in range(1, 9))

    # #1, access: worked from its alert, long scrolled away, through /messages and M.N.
    shown = terminal.type(in_messages(terminal, 1, "Start"))
    assert "[direct message to you, updated]" in shown and "In progress" in shown
    shown = terminal.type(in_messages(terminal, 1, "Record identity check"), *IDENTITY_CHECKED)
    assert "[modal: Identity check]" in shown
    terminal.type(in_messages(terminal, 1, "Fulfil"))
    shown = when_shown(terminal, "[file to direct message to you]")
    assert "The copy of the data for request #1" in shown
    shown = terminal.type(in_messages(terminal, 1, "Record delivery"), *ANSWER_DELIVERED)
    assert "Completed" in shown
    assert "Kirjaamasi rekisteröidyn pyyntö #1 (tarkastuspyyntö" in shown  # the advisor is told

    # #2, rectification: fulfilling it opens the person's edit form; the card shows the change.
    start_and_check_identity(terminal, 2)
    shown = terminal.type(
        on_home(terminal, 2, "Fulfil"), *rectified_email("testi.uusi@example.fi"), "/close"
    )
    assert "[modal: Edit person]" in shown
    assert "Rectified: e-mail" in shown
    assert "testi.uusi@example.fi" in shown
    record_delivery(terminal, 2)

    # #3, erasure: not while the copy Maija Esimerkki asked for (#7) is still to be made.
    start_and_check_identity(terminal, 3)
    shown = terminal.type(on_home(terminal, 3, "Fulfil"))
    assert "The person has other open requests: #7." in shown
    assert "/submit" not in shown
    terminal.type("/close")
    start_and_check_identity(terminal, 7)
    terminal.type(on_home(terminal, 7, "Fulfil"))
    shown = when_shown(terminal, "[file to direct message to you]")
    assert "The copy of the data for request #7" in shown
    record_delivery(terminal, 7)

    # Then the erasure: the confirmation lists what goes; the person is erased.
    shown = terminal.type(on_home(terminal, 3, "Fulfil"))
    assert "[modal: Erase the person]" in shown and "/submit to Erase" in shown
    shown = terminal.type("/submit", "/close")
    assert "The person was erased" in shown
    record_delivery(terminal, 3)

    # #4, restriction, with its reason.
    start_and_check_identity(terminal, 4)
    shown = terminal.type(
        on_home(terminal, 4, "Fulfil"), "The person contests the accuracy of the data.", "/close"
    )
    assert "[modal: Restrict processing]" in shown
    assert "Processing was restricted." in shown
    record_delivery(terminal, 4)

    # #5, portability: the files come in the background, as the access package's did.
    start_and_check_identity(terminal, 5)
    terminal.type(on_home(terminal, 5, "Fulfil"))
    shown = when_shown(terminal, "[file to direct message to you]")
    assert "The data for request #5" in shown and "portability.json" in shown
    record_delivery(terminal, 5)

    # #6, objection to direct marketing: it takes effect at once.
    start_and_check_identity(terminal, 6)
    shown = terminal.type(on_home(terminal, 6, "Fulfil"), "1", "", "", "/close")
    assert "[modal: Decide the objection]" in shown
    assert "Objection to direct marketing recorded" in shown
    record_delivery(terminal, 6)

    # #8, from a requester the register does not know: nothing to fulfil, so rejected saying
    # so, with the reply to send them.
    start_and_check_identity(terminal, 8)
    shown = terminal.type(
        on_home(terminal, 8, "Reject"), "The register holds no data about you.", "/close"
    )
    assert "[modal: Request rejected]" in shown
    assert "Perustelut: The register holds no data about you." in shown
    assert "Kirjaamasi rekisteröidyn pyyntö #8" in shown and "hylättiin" in shown

    # No request is left open, on the Home tab or in the register.
    shown = terminal.type("/home")
    assert "No open requests." in shown
    with database.transaction() as session:
        statuses = session.scalars(select(DataSubjectRequest.status)).all()
    assert sorted(statuses) == [RequestStatus.COMPLETED] * 7 + [RequestStatus.REJECTED]

    # The erased person is gone; the restricted one is marked so, and hidden from the advisor.
    shown = terminal.type("/customer esimerkki")
    assert "No one in the register matches “esimerkki”" in shown
    shown = terminal.type("/customer koehenkilö")
    assert "*Olli Koehenkilö*" in shown and "restricted (Art 18)" in shown
    assert "Log a meeting" not in shown  # only stored: no meeting is logged for them
    shown = terminal.type(number_of(shown, "Open card"))
    assert "*Olli Koehenkilö*" in shown and "restricted (Art 18)" in shown
    shown = terminal.type("/close", f"/as {ADVISOR}", "/asiakas koehenkilö")
    assert "Hakua “koehenkilö” vastaavaa henkilöä ei löydy rekisteristä" in shown

    # Nothing printed a traceback or a log line along the way.
    screen = terminal.screen.getvalue()
    assert "Traceback" not in screen
    assert not re.search(r"\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b", screen)
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []
