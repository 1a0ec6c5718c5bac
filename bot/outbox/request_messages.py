"""The messages about a data-subject request: each controller's alert and its updates, the
filer told of the outcome, the access and portability packages, the recipients to tell."""

from typing import Any

from bot.outbox.rendered import (
    Post,
    PrivateReply,
    Rendered,
    Scene,
    Skip,
    Update,
    Upload,
    Wait,
    works_requests,
)
from bot.requests.alert_blocks import (
    PACKAGE_COMMENT,
    PORTABILITY_COMMENT,
    alert_blocks,
    alert_text,
    filer_outcome_text,
)
from bot.requests.blocks import filing_confirmation_text
from bot.requests.description_items import open_items_text
from bot.requests.recipients import (
    RECIPIENTS_SHOWN,
    of_snapshot,
    recipients_blocks,
    recipients_csv,
    summary_text,
)
from bot.slack.i18n import N_
from bot.slack.kept_in_slack import kept_until_text
from storage import access_package, outbox, portability, requests
from storage.access_package_html import to_html
from storage.enums import OutboxKind, SlackFileKind
from storage.errors import NotFound
from storage.outbox import Claimed
from storage.register_description import open_items

NO_LONGER_YOURS = N_("You no longer handle data subject requests.")


def request_alert(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None:
        return Skip("request_gone")
    if not works_requests(member):
        return Skip("not_a_controller")
    t = scene.t(member)
    return Post(message.recipient, alert_text(request, t), alert_blocks(request, t))


def request_update(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    if request is None:
        return Skip("request_gone")
    alert = next(
        (
            alert
            for alert in requests.alerts_for(session=scene.session, request_id=request.id)
            if alert.slack_user_id == message.recipient
        ),
        None,
    )
    if alert is None:
        pending = outbox.has_pending(
            session=scene.session,
            kind=OutboxKind.REQUEST_ALERT,
            request_id=request.id,
            recipient=message.recipient,
        )
        return Wait("alert_pending") if pending else Skip("no_alert")
    member = scene.member(message.recipient)
    t = scene.t(member)
    if not works_requests(member):
        return Update(alert.channel_id, alert.message_ts, t(NO_LONGER_YOURS))
    return Update(
        alert.channel_id, alert.message_ts, alert_text(request, t), alert_blocks(request, t)
    )


def filer_outcome(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None or member is None:
        return Skip("gone")
    return Post(message.recipient, filer_outcome_text(request, scene.t(member)))


def filing_confirmation(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None or member is None:
        return Skip("gone")
    text = filing_confirmation_text(request, scene.t(member), alerted=message.params["alerted"])
    return PrivateReply(message.recipient, message.params.get("response_url"), text)


def access_package_upload(scene: Scene, message: Claimed) -> Rendered:
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None or request.person_id is None:
        return Skip("person_gone")
    if member is None or not works_requests(member):
        return Skip("not_a_controller")
    try:
        package = access_package.build_access_package(
            session=scene.session,
            actor=member,
            person_id=request.person_id,
            language=request.language,
            audited=False,
            periods=scene.periods_in_force,
            descriptions=scene.agency.register_description,
            zone=scene.agency.zone,
        )
    except NotFound:
        return Skip("person_gone")
    name = f"{package.person_reference}-{package.generated_at:%Y%m%d}"
    channel = _alert_channel(scene, request.id, member.slack_user_id)
    t = scene.t(member)
    until = scene.keep_until()
    comment = " ".join(
        [
            t(PACKAGE_COMMENT, number=request.id, reference=package.person_reference),
            kept_until_text(until, files=2, zone=scene.agency.zone, t=t),
            open_items_text(open_items(scene.agency.register_description), request.language, t),
        ]
    ).strip()
    files = [
        {
            "content": access_package.to_json(package),
            "filename": f"{name}.json",
            "title": f"{name}.json",
        },
        {
            "content": to_html(package),
            "filename": f"{name}.html",
            "title": f"{name}.html",
        },
    ]
    return Upload(
        member.slack_user_id,
        channel,
        comment,
        files,
        kind=SlackFileKind.ACCESS_PACKAGE,
        keep_until=until,
        person_ids=(request.person_id,),
        request_id=request.id,
    )


def _alert_channel(scene: Scene, request_id: int, slack_user_id: str) -> str | None:
    return next(
        (
            alert.channel_id
            for alert in requests.alerts_for(session=scene.session, request_id=request_id)
            if alert.slack_user_id == slack_user_id
        ),
        None,
    )


def portability_package_upload(scene: Scene, message: Claimed) -> Rendered:
    """What the person provided, as JSON and CSV, to the controller's direct message; the
    files are recorded to be deleted from Slack as the access package's are."""
    request = scene.request(message)
    member = scene.member(message.recipient)
    if request is None or request.person_id is None:
        return Skip("person_gone")
    if member is None or not works_requests(member):
        return Skip("not_a_controller")
    try:
        package = portability.build_portability_package(
            session=scene.session, actor=member, person_id=request.person_id
        )
    except NotFound:
        return Skip("person_gone")
    name = f"{package.person_reference}-{package.generated_at:%Y%m%d}-portability"
    t = scene.t(member)
    until = scene.keep_until()
    comment = " ".join(
        [
            t(PORTABILITY_COMMENT, number=request.id, reference=package.person_reference),
            kept_until_text(until, files=2, zone=scene.agency.zone, t=t),
        ]
    )
    files: list[dict[str, Any]] = [
        {
            "content": portability.to_json(package),
            "filename": f"{name}.json",
            "title": f"{name}.json",
        },
        {
            "content": portability.to_csv(package),
            "filename": f"{name}.csv",
            "title": f"{name}.csv",
        },
    ]
    return Upload(
        member.slack_user_id,
        _alert_channel(scene, request.id, member.slack_user_id),
        comment,
        files,
        kind=SlackFileKind.PORTABILITY_PACKAGE,
        keep_until=until,
        person_ids=(request.person_id,),
        request_id=request.id,
    )


def recipients_to_tell(scene: Scene, message: Claimed) -> Rendered:
    """The recipients to tell, listed in the message, or in a CSV file when there are more than
    a message shows. The list kept in the message (an erasure's), else the person's now."""
    member = scene.member(message.recipient)
    if member is None:
        return Skip("gone")
    if "recipients" in message.params:
        recipients, reference = of_snapshot(message.params), message.params["reference"]
    else:
        request = scene.request(message)
        if request is None or request.person_id is None:
            return Skip("gone")
        recipients = requests.recipients_to_notify(
            session=scene.session, person_id=request.person_id
        )
        reference = request.person_reference or "–"
    if not recipients:
        return Skip("no_recipients")
    t = scene.t(member)
    if len(recipients) <= RECIPIENTS_SHOWN:
        text = summary_text(len(recipients), reference, t, in_file=False)
        return Post(message.recipient, text, recipients_blocks(recipients, t))
    name = f"{reference}-recipients.csv"
    files = [{"content": recipients_csv(recipients, t), "filename": name, "title": name}]
    until = scene.keep_until()
    text = " ".join(
        [
            summary_text(len(recipients), reference, t, in_file=True),
            kept_until_text(until, files=1, zone=scene.agency.zone, t=t),
        ]
    )
    request = scene.request(message)
    return Upload(
        member.slack_user_id,
        None,
        text,
        files,
        kind=SlackFileKind.RECIPIENTS_LIST,
        keep_until=until,
        person_ids=(request.person_id,) if request and request.person_id else (),
        request_id=request.id if request else None,
    )
