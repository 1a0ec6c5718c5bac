"""The sub-command words of the end of the service, and the erasure's confirmation."""

import pytest

from bot.agencies.inputs import ErasureConfirmation
from bot.agencies.listeners import is_erase, is_export
from bot.slack.ids import REGISTER_ERASE_CONFIRMATION
from bot.slack.inputs.view_state import InvalidForm


@pytest.mark.parametrize("text", ["vie", "vienti", "export", "VIE"])
def test_the_export_words(text: str) -> None:
    assert is_export({"text": text}) and not is_erase({"text": text})


@pytest.mark.parametrize("text", ["tyhjennä", "tyhjenna", "erase", "Tyhjennä"])
def test_the_erasure_words(text: str) -> None:
    assert is_erase({"text": text}) and not is_export({"text": text})


def typed(text: str) -> ErasureConfirmation:
    view = {"state": {"values": {REGISTER_ERASE_CONFIRMATION: {"x": {"value": text}}}}}
    return ErasureConfirmation.read(view)


def test_the_name_confirms_whatever_its_case_and_spacing() -> None:
    assert typed("  esimerkki   YRITYSkeskus ").confirms("Esimerkki yrityskeskus")
    assert not typed("Esimerkki").confirms("Esimerkki yrityskeskus")
    assert not typed("TYHJENNÄ").confirms("Esimerkki yrityskeskus")


def test_without_a_name_the_word_of_either_language_confirms() -> None:
    assert typed("tyhjennä").confirms("") and typed("ERASE").confirms(" ")
    with pytest.raises(InvalidForm) as refused:
        typed("").check("")
    assert list(refused.value.errors) == [REGISTER_ERASE_CONFIRMATION]
