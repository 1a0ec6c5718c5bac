"""The register description: the shipped one answers every item of the privacy notice, the
agency's own file overrides it and is refused with a message naming what is wrong, and the
items still left open are found."""

import json
from pathlib import Path
from typing import Any

import pytest

from storage.register_description import (
    DescriptionError,
    PeriodsInForce,
    load_descriptions,
    open_items,
    retention_sentences,
)

SHIPPED = Path(__file__).resolve().parents[2] / "storage" / "register_description"


def shipped() -> dict[str, Any]:
    return {
        language: json.loads((SHIPPED / f"{language}.json").read_text("utf-8"))
        for language in ("fi", "en")
    }


def written(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "description.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_shipped_description_names_the_contact_person_and_the_controller_s_phone() -> None:
    finnish = load_descriptions().fi
    assert finnish.contact_person.name == "Kaj Heiniö"
    assert finnish.contact_person.email == "kaj.heinio@ensimetri.fi"
    assert finnish.controller.phone and finnish.controller.business_id == "2943900-9"


def test_every_processor_outside_the_eea_has_its_safeguard() -> None:
    for description in (load_descriptions().fi, load_descriptions().en):
        slack = next(p for p in description.processors if p.name.startswith("Slack"))
        assert slack.outside_eea and "Data Privacy Framework" in (slack.safeguard or "")
        assert all(p.safeguard for p in description.processors if p.outside_eea)


def test_the_agency_s_file_overrides_the_shipped_one(tmp_path: Path) -> None:
    document = shipped()
    document["fi"]["contact_person"]["name"] = "Testi Yhteyshenkilö"
    descriptions = load_descriptions(written(tmp_path, document))
    assert descriptions.fi.contact_person.name == "Testi Yhteyshenkilö"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["fi"].pop("contact_person"), "fi.contact_person: Field required"),
        (
            lambda d: d["en"]["processors"][0].update(safeguard=None),
            "en.processors.0: a processor outside the EU/EEA needs its safeguard",
        ),
        (
            lambda d: d["fi"]["retention"].update(customers="36 kuukautta"),
            "retention.customers must say its length as {months}",
        ),
        (
            lambda d: d["fi"].update(copies_in_slack="{weeks} viikkoa"),
            "copies_in_slack must say how long a file stays as {days}",
        ),
        (lambda d: d.pop("en"), "en: Field required"),
        (lambda d: d["fi"].update(colour="blue"), "fi.colour: Extra inputs are not permitted"),
    ],
)
def test_a_wrong_file_is_refused_naming_what_is_wrong(
    tmp_path: Path, change: Any, named: str
) -> None:
    document = shipped()
    change(document)
    path = written(tmp_path, document)
    with pytest.raises(DescriptionError) as refused:
        load_descriptions(path)
    assert named in str(refused.value)
    assert str(path) in str(refused.value)


def test_a_file_that_is_not_json_or_not_there_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(DescriptionError, match="not JSON"):
        load_descriptions(broken)
    with pytest.raises(DescriptionError, match="cannot be read"):
        load_descriptions(tmp_path / "missing.json")


def test_placeholders_and_empty_values_are_open_items(tmp_path: Path) -> None:
    shipped_items = open_items(load_descriptions())
    assert {(i.language, i.where) for i in shipped_items} >= {
        ("fi", "processors.1.name"),
        ("en", "processors.2.name"),
    }
    document = shipped()
    for language in ("fi", "en"):
        for processor in document[language]["processors"]:
            processor["name"] = "Esimerkki Oy"
            processor["location"] = "Suomi"
    document["en"]["security"] = ""
    (item,) = open_items(load_descriptions(written(tmp_path, document)))
    assert (item.language, item.where, item.value) == ("en", "security", "")


def test_the_retention_sentences_carry_the_periods_in_force() -> None:
    sentences = retention_sentences(load_descriptions().en, PeriodsInForce(request_years=7))
    assert any("7 years" in s and "requests" in s for s in sentences)
    assert all("{" not in s for s in sentences)
