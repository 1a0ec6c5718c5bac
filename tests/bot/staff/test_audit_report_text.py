"""The audit check's report, worded for the counts it gives, in both languages."""

from datetime import UTC, datetime

import pytest

from bot.slack.i18n import translator
from bot.staff.blocks import chain_report_text
from storage.audit import Anchor, ChainReport, MissingEvents


@pytest.mark.parametrize(
    ("language", "checked", "plain", "said"),
    [
        (
            "en",
            1,
            1,
            "The audit trail is intact: 1 event checked.\n"
            "1 of them was sealed before the audit trail had a key (plain SHA-256).",
        ),
        (
            "en",
            2,
            2,
            "The audit trail is intact: 2 events checked.\n"
            "2 of them were sealed before the audit trail had a key (plain SHA-256).",
        ),
        (
            "fi",
            1,
            1,
            "Lokiketju on ehjä: 1 tapahtuma tarkastettu.\n"
            "Niistä 1 sinetöitiin ennen kuin lokiketjulla oli avain (pelkkä SHA-256).",
        ),
        (
            "fi",
            2,
            2,
            "Lokiketju on ehjä: 2 tapahtumaa tarkastettu.\n"
            "Niistä 2 sinetöitiin ennen kuin lokiketjulla oli avain (pelkkä SHA-256).",
        ),
    ],
)
def test_an_intact_trail_counts_its_events(
    language: str, checked: int, plain: int, said: str
) -> None:
    report = ChainReport(checked=checked, first_broken_id=None, plain=plain)

    assert chain_report_text(report, translator(language)) == said


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [
        ("en", 1, "1 event before it is intact."),
        ("en", 2, "2 events before it are intact."),
        ("fi", 1, "Sitä edeltävä 1 tapahtuma on ehjä."),
        ("fi", 2, "Sitä edeltävät 2 tapahtumaa ovat ehjiä."),
    ],
)
def test_a_broken_trail_counts_the_events_before_the_break(
    language: str, count: int, said: str
) -> None:
    report = ChainReport(checked=count, first_broken_id=count + 1)

    assert chain_report_text(report, translator(language)).endswith(said)


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [
        ("en", 1, "1 event was sealed with another key"),
        ("en", 2, "2 events were sealed with another key"),
        ("fi", 1, "1 tapahtuma on sinetöity muulla kuin tämän botin avaimella"),
        ("fi", 2, "2 tapahtumaa on sinetöity muulla kuin tämän botin avaimella"),
    ],
)
def test_events_sealed_with_another_key_are_counted(language: str, count: int, said: str) -> None:
    report = ChainReport(checked=5, first_broken_id=None, foreign_epochs=1, unverifiable=count)

    assert said in chain_report_text(report, translator(language))


@pytest.mark.parametrize(
    ("language", "count", "said"),
    [
        ("en", 1, "it recorded 1 event up to event 7"),
        ("en", 2, "it recorded 2 events up to event 7"),
        ("fi", 1, "siihen kirjattiin 1 tapahtuma tapahtumaan 7 asti"),
        ("fi", 2, "siihen kirjattiin 2 tapahtumaa tapahtumaan 7 asti"),
    ],
)
def test_missing_events_count_what_the_anchor_recorded(
    language: str, count: int, said: str
) -> None:
    anchor = Anchor(event_id=7, hash="0" * 64, count=count, at=datetime(2026, 11, 1, tzinfo=UTC))
    missing = MissingEvents(anchor=anchor, remaining=0, head_gone=True, head_changed=False)
    report = ChainReport(checked=0, first_broken_id=None, missing=missing)

    assert said in chain_report_text(report, translator(language))
