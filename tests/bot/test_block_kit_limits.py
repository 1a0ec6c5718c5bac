"""Every view and message the bot builds stays within Slack's limits, with the worst data the
bot accepts, in Finnish and English.

Builders are found, not listed: every public function in `bot/` that returns a View, blocks,
options, a rendered outbox message or a controller notice, and every `*_text` function returning
a message. Each must have a worst-case case below (or, for the outbox's renderers, in
tests/bot/outbox/test_outbox_limits.py); a new builder without one fails
`test_every_builder_has_a_worst_case`.
"""

import importlib
import pkgutil
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, Option
from slack_sdk.models.views import View

import bot
from bot.agencies import blocks as agency_end_blocks
from bot.customers import blocks as customer_blocks
from bot.customers import card, form
from bot.customers.bulk_lookups import bulk_lookup_notice
from bot.customers.form_inputs import FormMetadata
from bot.customers.inputs import CardModalMetadata
from bot.home import blocks as home_blocks
from bot.meetings import blocks as meeting_blocks
from bot.meetings.inputs import MeetingFormMetadata
from bot.outbox import reminders
from bot.outbox.rendered import Post, PrivateReply, Update, Upload
from bot.reports import blocks as report_blocks
from bot.requests import alert_blocks, description_items, recipients
from bot.requests import blocks as request_blocks
from bot.requests.inputs import RequestFormMetadata
from bot.retention import blocks as retention_blocks
from bot.retention.blocks import REVIEW_PAGE
from bot.settings import blocks as settings_blocks
from bot.settings.inputs import SETTINGS
from bot.slack import kept_in_slack, lists, reply
from bot.slack.controller_notices import ControllerNotice
from bot.slack.i18n import LANGUAGES, Translator, translator
from bot.staff import blocks as staff_blocks
from storage import agency_register, agency_settings
from storage.agency_settings import AgencySettings, OwnSettings
from storage.bulk_lookups import BulkLookup
from storage.enums import MeetingKind, RequestChannel, RequestKind, Role
from storage.register_description import OpenItem, load_descriptions
from storage.requests import FilingWarnings, RequestFiling
from tests.bot.helpers import worst_case as worst
from tests.bot.helpers.block_kit_limits import (
    MESSAGE_TEXT,
    SECTION_TEXT,
    VIEW_BLOCKS,
    blocks_problems,
    message_problems,
    options_problems,
    view_problems,
)
from tests.bot.helpers.renderers import RENDERERS_TESTED

ZONE = ZoneInfo("Europe/Helsinki")
TODAY = worst.TODAY


class Text(str):
    """A builder's text that goes into a section as it is: at most a section's 3000."""


class Message(str):
    """A message's text alone: at most chat.postMessage's 4000."""


# Block Kit's JSON, built without the models where that is measurably faster (the hit list).
BlockJson = dict[str, Any]
Rendering = (
    View | list[Block] | list[BlockJson] | list[Option] | Option | tuple[str, list[Block]] | str
)
Case = Callable[[Translator], Iterator[Rendering]]
CASES: dict[str, Case] = {}


def case(*names: str) -> Callable[[Case], Case]:
    def register(function: Case) -> Case:
        for name in names:
            CASES[name] = function
        return function

    return register


# -- discovery


BUILT = (View, Block, Option, Post, Update, Upload, PrivateReply, ControllerNotice)
# Renderers of the outbox read the register: their worst cases need a database, and are in
# tests/bot/outbox/test_outbox_limits.py, which lists them in RENDERERS_TESTED.
OUTBOX_RENDERERS = "bot.outbox.r"


def _types_in(annotation: Any) -> Iterator[Any]:
    yield annotation
    for argument in typing.get_args(annotation):
        yield from _types_in(argument)


def _is_builder(name: str, function: Callable[..., Any]) -> bool:
    returned = typing.get_type_hints(function).get("return")
    for kind in _types_in(returned):
        if isinstance(kind, type) and issubclass(kind, BUILT):
            return True
    if name.endswith("_blocks") and returned == list[BlockJson]:
        return True
    return name.endswith("_text") and returned is str


def builders() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        # The console, the import and the operator's commands render to a terminal, never to
        # Slack; __main__ only starts the bot.
        terminal = ("bot.console", "bot.imports", "bot.agencies.command", "bot.__main__")
        if info.name.startswith(terminal):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                not name.startswith("_")
                and isinstance(value, types.FunctionType)
                and value.__module__ == module.__name__
                and _is_builder(name, value)
            ):
                found.append(f"{module.__name__}.{name}")
    return sorted(found)


def test_every_builder_has_a_worst_case() -> None:
    missing = [name for name in builders() if name not in CASES and name not in RENDERERS_TESTED]
    assert missing == [], "give each a worst case in tests/bot/test_block_kit_limits.py"


def test_discovery_finds_the_builders_it_must() -> None:
    found = builders()
    for name in (
        "bot.customers.card.person_card_view",
        "bot.requests.alert_blocks.alert_blocks",
        "bot.customers.form.country_options",
        "bot.outbox.request_messages.recipients_to_tell",
        "bot.staff.blocks.chain_report_text",
    ):
        assert name in found


# -- the check


def problems(rendering: Rendering) -> list[str]:
    if isinstance(rendering, View):
        return view_problems(rendering)
    if isinstance(rendering, Option):
        return options_problems([rendering])
    if isinstance(rendering, tuple):
        text, blocks = rendering
        return message_problems(text, blocks)
    if isinstance(rendering, Text):
        return [f"text {len(rendering)} > {SECTION_TEXT}"] if len(rendering) > SECTION_TEXT else []
    if isinstance(rendering, str):
        return [f"text {len(rendering)} > {MESSAGE_TEXT}"] if len(rendering) > MESSAGE_TEXT else []
    if rendering and all(isinstance(item, dict) for item in rendering):
        return json_blocks_problems(typing.cast(list[BlockJson], rendering))
    if rendering and all(isinstance(item, Option) for item in rendering):
        return options_problems(typing.cast(list[JsonObject], rendering))
    return message_problems(None, typing.cast(list[Block], rendering))


def json_blocks_problems(blocks: list[BlockJson]) -> list[str]:
    """Blocks built as JSON: parsed into slack_sdk's models, which must give the same JSON
    back, and checked as the models are."""
    parsed = [Block.parse(block) for block in blocks]
    if any(model is None for model in parsed):
        return ["/blocks: slack_sdk could not parse a block"]
    models = typing.cast(list[Block], parsed)
    problems = message_problems(None, models)
    if problems:
        return problems
    return [
        f"/blocks/{i}: not what slack_sdk would send"
        for i, (block, model) in enumerate(zip(blocks, models, strict=True))
        if model.to_dict() != block
    ]


# -- the worst cases


@case("bot.customers.blocks.customer_help_blocks")
def _help(t: Translator) -> Iterator[Rendering]:
    yield customer_blocks.customer_help_blocks(t)


@case("bot.customers.blocks.hit_blocks", "bot.customers.blocks.hit_list_blocks")
def _hits(t: Translator) -> Iterator[Rendering]:
    yield customer_blocks.hit_blocks(worst.person_hit(), t)
    for page in (0, 1, 99):
        yield customer_blocks.hit_list_blocks(
            worst.long_query(), worst.search_result(), t, page=page
        )
    empty = worst.search_result().__class__(hits=[], total=0, total_is_capped=False)
    yield customer_blocks.hit_list_blocks(worst.long_query(), empty, t)


@case("bot.customers.blocks.query_too_short_text")
def _too_short(t: Translator) -> Iterator[Rendering]:
    yield customer_blocks.query_too_short_text(2**40, t)


def _card_metadata() -> CardModalMetadata:
    return CardModalMetadata(person_id=2**62, card_view_id="V" + "A" * 40)


@case("bot.customers.blocks.consent_form_view")
def _consent_form(t: Translator) -> Iterator[Rendering]:
    yield customer_blocks.consent_form_view(t, metadata=_card_metadata(), today=TODAY)


@case("bot.customers.blocks.disclosure_form_view")
def _disclosure_form(t: Translator) -> Iterator[Rendering]:
    yield customer_blocks.disclosure_form_view(t, metadata=_card_metadata())


@case(
    "bot.customers.card.person_card_view",
    "bot.customers.card.card_list_view",
    "bot.customers.card.saved_notice",
    "bot.customers.card.saved_view",
    "bot.customers.card.consent_saved_text",
    "bot.customers.card.disclosure_saved_text",
    "bot.requests.recipients.lifted_notice",
)
def _card(t: Translator) -> Iterator[Rendering]:
    disclosed = card.disclosure_saved_text(worst.disclosure_view(), t)
    notices = [
        card.saved_notice(disclosed),
        recipients.lifted_notice(worst.recipients(worst.MANY), t),
    ]
    for consent in worst.consent_views():
        saved = card.consent_saved_text(consent, t)
        yield Text(saved)
        notices.append(card.saved_notice(saved))
    yield Text(disclosed)
    yield card.saved_view(disclosed, t)
    for notice in notices:
        yield notice
        yield card.person_card_view(worst.person_card(restricted=False), t, notice=notice)
    for restricted in (True, False):
        person = worst.person_card(restricted=restricted)
        yield card.person_card_view(person, t, disclose=True, notice=notices[-1])
        for name in card.CARD_LISTS:
            for page in (0, 1, 10**6):
                yield card.card_list_view(person, name, page, t)


@case("bot.customers.form.person_form_view", "bot.customers.form.duplicate_warning")
def _person_form(t: Translator) -> Iterator[Rendering]:
    values = worst.form_values()
    metadata = FormMetadata.for_edit(2**62, values, request_id=2**62)
    yield form.person_form_view(t, metadata=metadata, values=values)
    yield form.person_form_view(
        t, metadata=FormMetadata(), values=values, duplicates=worst.duplicates()
    )
    yield form.duplicate_warning(worst.duplicates(), t)


@case("bot.customers.duplicates.match_section", "bot.customers.duplicates.duplicates_view")
def _duplicates(t: Translator) -> Iterator[Rendering]:
    from bot.customers import duplicates

    listing = duplicates.DuplicateList.of(worst.duplicates())
    assert listing.unlisted > 0
    for page in (0, 1, 10**6):
        yield duplicates.duplicates_view(listing, page, t)
    yield [duplicates.match_section(worst.duplicates()[0], t)]


@case("bot.customers.form.restricted_duplicate_notice")
def _restricted_notice(t: Translator) -> Iterator[Rendering]:
    notice = form.restricted_duplicate_notice(
        worst.duplicates()[0], saved_reference=worst.REFERENCE, saved_by=worst.STAFF_ID
    )
    yield Message(notice.text(t))


@case("bot.customers.bulk_lookups.bulk_lookup_notice")
def _bulk_notice(t: Translator) -> Iterator[Rendering]:
    found = BulkLookup(
        slack_user_id=worst.STAFF_ID, cards=2**40, window=timedelta(days=10**5), report_id=2**62
    )
    yield Message(bulk_lookup_notice(found).text(t))


@case("bot.customers.form.country_option", "bot.customers.form.country_options")
def _countries(t: Translator) -> Iterator[Rendering]:
    for typed in ("", "a", "e", "saari", "FI", worst.markup(100)):
        yield form.country_options(typed, t.language)
    yield form.country_option("GS", t.language)


@case("bot.customers.form.municipality_option", "bot.customers.form.municipality_options")
def _municipalities(t: Translator) -> Iterator[Rendering]:
    long_names = [worst.markup(100)[:100] + str(i) for i in range(150)]
    for typed in ("", "a", "Hämeenlinna", worst.markup(100), "x" * 100):
        yield form.municipality_options(typed, long_names, t)
        yield form.municipality_options(typed, [], t)
    yield form.municipality_option("Maarianhamina - Mariehamn")
    yield form.municipality_option("x" * 100)


@case(
    "bot.home.blocks.meeting_blocks",
    "bot.home.blocks.controller_blocks",
    "bot.home.blocks.home_view",
)
def _home(t: Translator) -> Iterator[Rendering]:
    overview = worst.home_overview(controller=True)
    assert overview.controller is not None
    yield home_blocks.meeting_blocks(overview, t, ZONE)
    yield home_blocks.meeting_blocks(worst.home_overview(controller=False, page=0), t, ZONE)
    yield home_blocks.controller_blocks(overview.controller, t, TODAY)
    for role in Role:
        yield home_blocks.home_view(worst.staff_member(role), t, overview, zone=ZONE, today=TODAY)


@case(
    "bot.meetings.blocks.person_option",
    "bot.meetings.blocks.person_options",
    "bot.meetings.blocks.kind_option",
)
def _meeting_options(t: Translator) -> Iterator[Rendering]:
    yield meeting_blocks.person_option(worst.person_hit())
    yield meeting_blocks.person_options([worst.person_hit(i) for i in range(10)])
    for kind in MeetingKind:
        yield meeting_blocks.kind_option(kind, t)


@case("bot.meetings.blocks.meeting_form_view")
def _meeting_form(t: Translator) -> Iterator[Rendering]:
    metadata = MeetingFormMetadata(
        idempotency_key="k" * 100, response_url=worst.RESPONSE_URL, pushed=True
    )
    for hits in (0, 2, 1000):
        notice = meeting_blocks.search_notice(worst.long_query(), hits, t)
        yield meeting_blocks.meeting_form_view(
            t, metadata=metadata, now=worst.WHEN, person=worst.person_hit(), notice=notice
        )


@case("bot.slack.kept_in_slack.kept_until_text")
def _kept_until(t: Translator) -> Iterator[Rendering]:
    until = datetime(2100, 12, 31, 23, 59, tzinfo=UTC)
    for files in (1, 2**40):
        yield Text(kept_in_slack.kept_until_text(until, files=files, zone=ZONE, t=t))


@case("bot.meetings.blocks.confirmation_text")
def _meeting_saved(t: Translator) -> Iterator[Rendering]:
    for created in (True, False):
        yield Text(meeting_blocks.confirmation_text(worst.logged_meeting(created=created), t, ZONE))


@case(
    "bot.outbox.reminders.deadlines_text",
    "bot.outbox.reminders.deadlines_blocks",
)
def _deadlines(t: Translator) -> Iterator[Rendering]:
    due = worst.coming_due()
    yield (
        reminders.deadlines_text(2**40, 2**40, t),
        reminders.deadlines_blocks(due, t, TODAY),
    )


@case("bot.outbox.reminders.follow_ups_text", "bot.outbox.reminders.follow_ups_blocks")
def _follow_ups(t: Translator) -> Iterator[Rendering]:
    reminder = worst.follow_up_reminder()
    yield (reminders.follow_ups_text(reminder, t), reminders.follow_ups_blocks(reminder, t, TODAY))


@case("bot.reports.blocks.period_text", "bot.reports.blocks.report_view")
def _report(t: Translator) -> Iterator[Rendering]:
    report = worst.report()
    yield Text(report_blocks.period_text(report.period, t))
    yield report_blocks.report_view(report, t)
    yield report_blocks.report_view(replace(report, has_data=False), t)


def _requests() -> Iterator[Any]:
    from storage.enums import RequestKind, RequestStatus

    for kind in RequestKind:
        for status in RequestStatus:
            yield worst.request_view(kind=kind, status=status)
    yield worst.request_view(person_id=None, person_reference=None, extended_due_on=None)
    yield worst.request_view(identity_verified_at=None, identity_verification=None)


@case(
    "bot.requests.alert_blocks.alert_blocks",
    "bot.requests.alert_blocks.alert_text",
    "bot.requests.alert_blocks.filer_outcome_text",
)
def _alert(t: Translator) -> Iterator[Rendering]:
    for request in _requests():
        yield (alert_blocks.alert_text(request, t), alert_blocks.alert_blocks(request, t))
        yield Message(alert_blocks.filer_outcome_text(request, t))


@case(
    "bot.requests.alert_blocks.verify_view",
    "bot.requests.alert_blocks.extend_view",
    "bot.requests.alert_blocks.reject_view",
    "bot.requests.alert_blocks.extended_view",
    "bot.requests.alert_blocks.not_extendable_view",
    "bot.requests.alert_blocks.rejected_view",
    "bot.requests.alert_blocks.restriction_view",
    "bot.requests.alert_blocks.objection_view",
    "bot.requests.alert_blocks.fulfilled_view",
    "bot.requests.alert_blocks.answer_view",
)
def _request_modals(t: Translator) -> Iterator[Rendering]:
    for request in _requests():
        yield alert_blocks.verify_view(request, t)
        yield alert_blocks.extend_view(request, t, extended_due_on=TODAY)
        yield alert_blocks.reject_view(request, t)
        yield alert_blocks.extended_view(request, t)
        refusal = alert_blocks.extension_refusal(
            request, today=date(2100, 1, 1), language=t.language
        )
        message, params = refusal or ("", {})
        yield alert_blocks.not_extendable_view(request, t, why=t(message, **params))
        yield alert_blocks.rejected_view(request, t)
        yield alert_blocks.restriction_view(request, t)
        yield alert_blocks.objection_view(request, t)
        yield alert_blocks.fulfilled_view(request, t)
        yield alert_blocks.answer_view(request, t, today=TODAY)


@case("bot.requests.alert_blocks.erasure_view", "bot.requests.alert_blocks.done_view")
def _erasure(t: Translator) -> Iterator[Rendering]:
    request = worst.request_view()
    for count in (0, 1, recipients.RECIPIENTS_SHOWN, worst.MANY):
        plan = worst.erasure_plan()
        plan = plan.__class__(**{**plan.__dict__, "recipients": worst.recipients(count)})
        yield alert_blocks.erasure_view(request, plan, t)
        headline = t(alert_blocks.ERASED_RESOLUTION, erasure=2**62)
        yield alert_blocks.done_view(request, headline, worst.recipients(count), t)


@case("bot.requests.alert_blocks.erasure_waits_view")
def _erasure_waits(t: Translator) -> Iterator[Rendering]:
    request = worst.request_view()
    for count in (1, worst.MANY):
        yield alert_blocks.erasure_waits_view(request, [2**62 + n for n in range(count)], t)


@case(
    "bot.requests.recipients.recipients_text",
    "bot.requests.recipients.recipients_blocks",
    "bot.requests.recipients.summary_text",
)
def _recipients(t: Translator) -> Iterator[Rendering]:
    for count in (0, recipients.RECIPIENTS_SHOWN, worst.MANY):
        yield Text(recipients.recipients_text(worst.recipients(count), t))
        yield (
            recipients.summary_text(count, worst.REFERENCE, t, in_file=False),
            recipients.recipients_blocks(worst.recipients(count), t),
        )
        yield Message(recipients.summary_text(count, worst.REFERENCE, t, in_file=True))


@case("bot.requests.blocks.reference_text", "bot.requests.blocks.filing_confirmation_text")
def _filing(t: Translator) -> Iterator[Rendering]:
    for request in _requests():
        yield Text(request_blocks.reference_text(request, t))
        for alerted in (True, False):
            yield Message(request_blocks.filing_confirmation_text(request, t, alerted=alerted))


@case(
    "bot.requests.blocks.request_form_view",
    "bot.requests.blocks.request_details_view",
    "bot.requests.blocks.filing_warning_blocks",
)
def _request_form(t: Translator) -> Iterator[Rendering]:
    metadata = RequestFormMetadata(filing_key="k" * 100, response_url=worst.RESPONSE_URL)
    yield request_blocks.request_form_view(t, metadata=metadata, person=worst.person_hit())
    warnings = FilingWarnings(passed_due_on=TODAY, open_requests=tuple(range(10**9, 10**9 + 500)))
    for kind in RequestKind:
        filed = RequestFiling(
            kind=kind,
            channel=RequestChannel.OTHER,
            received_on=TODAY,
            requester_name=worst.markup(200),
            requester_contact=worst.markup(254),
            details=worst.markup(3000),
        )
        yield request_blocks.request_form_view(
            t, metadata=metadata, filed=filed, warnings=warnings, person=worst.person_hit()
        )
    yield request_blocks.filing_warning_blocks(warnings, t, received_on=TODAY)
    for request in _requests():
        yield request_blocks.request_details_view(request, t)


@case(
    "bot.retention.blocks.retention_post",
    "bot.retention.blocks.retention_review_view",
    "bot.retention.blocks.retention_done_view",
)
def _retention(t: Translator) -> Iterator[Rendering]:
    references = [worst.REFERENCE] * retention_blocks.POSTED_REFERENCES
    yield retention_blocks.retention_post(due=2**40, references=references, t=t)
    candidates = worst.retention_candidates(REVIEW_PAGE)
    yield retention_blocks.retention_review_view(candidates, due=2**40, t=t)
    yield retention_blocks.retention_review_view([], due=0, t=t)
    yield retention_blocks.retention_done_view(worst.decisions_applied(REVIEW_PAGE), 2**40, t)


@case("bot.slack.lists.more_text", "bot.slack.lists.packed_sections")
def _lists(t: Translator) -> Iterator[Rendering]:
    yield Text(lists.more_text(2**40, t))
    yield lists.packed_sections([worst.markup(100)] * 40 + ["x" * 5000])


@case("bot.slack.reply.notice_modal", "bot.slack.reply.notice_home")
def _notices(t: Translator) -> Iterator[Rendering]:
    text = worst.markup(4000)
    yield reply.notice_modal(text, title=t("The register"))
    yield reply.notice_home(text)


@case("bot.staff.blocks.help_blocks")
def _staff_help(t: Translator) -> Iterator[Rendering]:
    for unknown in (True, False):
        yield staff_blocks.help_blocks(t, unknown_word=unknown)


@case("bot.requests.description_items.open_items_text")
def _open_items(t: Translator) -> Iterator[Rendering]:
    for count in (1, 2**10):
        items = [
            OpenItem(language=t.language, where=worst.markup(500), value=worst.markup(3000))
            for _ in range(count)
        ]
        yield Text(description_items.open_items_text(items, t.language, t))


@case("bot.staff.blocks.role_granted_text")
def _role_granted(t: Translator) -> Iterator[Rendering]:
    for role in Role:
        yield Text(staff_blocks.role_granted_text(worst.STAFF_ID * 4, role, t))


@case("bot.staff.blocks.staff_blocks", "bot.staff.blocks.role_change_text")
def _staff(t: Translator) -> Iterator[Rendering]:
    members = worst.staff_members()
    changes = worst.role_changes(members)
    for page in (0, 1, 10**6):
        yield staff_blocks.staff_blocks(members, t, changes, page=page)
    yield staff_blocks.staff_blocks([], t)
    for change in changes.values():
        yield Text(staff_blocks.role_change_text(change, t))


@case(
    "bot.staff.blocks.chain_report_text",
    "bot.staff.blocks.missing_events_text",
)
def _chain(t: Translator) -> Iterator[Rendering]:
    for intact in (True, False):
        report = worst.chain_report(intact=intact)
        yield Message(staff_blocks.chain_report_text(report, t))
        if report.missing is not None:
            yield Text(staff_blocks.missing_events_text(report.missing, t))


@case("bot.settings.blocks.settings_blocks", "bot.settings.blocks.value_text")
def _agency_settings(t: Translator) -> Iterator[Rendering]:
    own = OwnSettings(
        reminder_channel_id="C" + "Z" * 31,
        timezone="America/Argentina/ComodRivadavia",
        default_language="en",
        retention_customer_months=1200,
        retention_member_months=1200,
        retention_stakeholder_months=1200,
        request_retention_years=100,
        audit_retention_years=100,
        register_description=load_descriptions().model_dump_json(),
    )
    deployment = AgencySettings(
        reminder_channel_id=None,
        timezone="Europe/Helsinki",
        default_language="fi",
        retention_customer_months=36,
        retention_member_months=12,
        retention_stakeholder_months=24,
        request_retention_years=5,
        audit_retention_years=5,
        register_description=load_descriptions(),
    )
    for mine in (own, OwnSettings()):
        in_force = agency_settings.over(deployment, mine)
        yield settings_blocks.settings_blocks(in_force, mine, t, saved=True)
        for setting in SETTINGS:
            yield Text(settings_blocks.value_text(setting, in_force, t))


@case("bot.staff.blocks.undelivered_blocks")
def _undelivered(t: Translator) -> Iterator[Rendering]:
    yield staff_blocks.undelivered_blocks(worst.undelivered(), t)


@case(
    "bot.agencies.blocks.counts_text",
    "bot.agencies.blocks.export_started_text",
    "bot.agencies.blocks.export_summary_text",
    "bot.agencies.blocks.export_failed_text",
    "bot.agencies.blocks.erase_view",
    "bot.agencies.blocks.erasing_view",
    "bot.agencies.blocks.erasure_summary_text",
    "bot.agencies.blocks.erasure_failed_text",
)
def _register_end(t: Translator) -> Iterator[Rendering]:
    rows = {table.name: 2**40 for table in agency_register.exported_tables()}
    export = agency_register.RegisterExport(agency=2**40, generated_at=worst.WHEN, rows=rows)
    erasure = agency_register.RegisterErasure(
        agency=2**40,
        erased_at=worst.WHEN,
        persons=2**40,
        rows=rows,
        audit_events=2**40,
        audit_broken_at=2**40,
    )
    yield Text(agency_end_blocks.counts_text(rows, t))
    yield Message(agency_end_blocks.export_started_text(t))
    yield Message(agency_end_blocks.export_summary_text(export, t))
    yield Message(agency_end_blocks.export_failed_text(t))
    name = worst.markup(agency_end_blocks.CONFIRMATION_LENGTH)
    yield agency_end_blocks.erase_view(name, named=True, counts=rows, t=t)
    yield agency_end_blocks.erase_view(t("ERASE"), named=False, counts={}, t=t)
    yield agency_end_blocks.erasing_view(t)
    for multi_workspace in (True, False):
        yield Message(
            agency_end_blocks.erasure_summary_text(erasure, multi_workspace=multi_workspace, t=t)
        )
    yield Message(agency_end_blocks.erasure_failed_text(t))


def test_a_case_names_only_builders_that_exist() -> None:
    assert sorted(set(CASES) - set(builders())) == []


def test_the_checks_catch_what_slack_refuses() -> None:
    """The helper itself: each limit it guards, broken once, as Slack would get it."""

    def text(length: int, kind: str = "mrkdwn") -> dict[str, str]:
        return {"type": kind, "text": "x" * length}

    def option(i: int) -> dict[str, Any]:
        return {"text": text(1, "plain_text"), "value": str(i)}

    grouped = {
        "type": "static_select",
        "action_id": "a",
        "option_groups": [
            {"label": text(1, "plain_text"), "options": [option(i) for i in range(60)]}
            for _ in range(2)
        ],
    }
    blocks = [
        {"type": "section", "text": text(3001)},
        {"type": "section", "fields": [text(2001)] * 11},
        {"type": "header", "text": text(151, "plain_text")},
        {"type": "context", "elements": [text(3001)] * 11},
        {"type": "input", "label": text(1), "element": grouped},
        {
            "type": "input",
            "label": text(1),
            "element": {
                "type": "plain_text_input",
                "action_id": "b",
                "max_length": 10,
                "initial_value": "x" * 11,
            },
        },
        {
            "type": "input",
            "label": text(1),
            "element": {
                "type": "checkboxes",
                "action_id": "c",
                "options": [option(i) for i in range(11)],
            },
        },
    ] + [{"type": "divider"}] * 94
    found = " ".join(blocks_problems(blocks, VIEW_BLOCKS, "/blocks"))
    for broken in (
        "101 blocks > 100",
        "section text 3001",
        "fields 11",
        "field text 2001",
        "header text 151",
        "context elements 11",
        "context text 3001",
        "options in all option groups 120",
        "initial_value longer than max_length 11",
        "checkboxes options 11",
    ):
        assert broken in found
    assert message_problems("x" * 4001) == [f"/text: message text 4001 > {MESSAGE_TEXT}"]


def test_options_the_nationality_select_answers_are_few_and_found() -> None:
    from bot.customers.countries import matching_countries

    assert [code for code, _ in matching_countries("suomi", "fi")] == ["FI"]
    assert next(code for code, _ in matching_countries("FI", "en")) == "FI"
    assert next(name for _, name in matching_countries("swe", "en")) == "Sweden"
    assert len(matching_countries("", "fi")) == 100
    assert all(len(matching_countries(letter, "en")) <= 100 for letter in "aeiou")


# Last, so that every case above is registered when the cases are collected.
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(set(CASES)))
def test_each_builder_stays_within_slacks_limits(name: str, language: str) -> None:
    renderings = list(CASES[name](translator(language)))
    assert renderings, f"{name}: its case rendered nothing"
    found = [f"#{i}: {problem}" for i, r in enumerate(renderings) for problem in problems(r)]
    assert found == []
