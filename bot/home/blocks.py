"""The Home tab each staff member sees."""

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.home.inputs import HomePages
from bot.meetings.blocks import TOPIC_SHOWN, kind_name
from bot.requests.alert_blocks import request_buttons
from bot.slack.i18n import N_, Translator
from bot.slack.ids import HOME_PAGE, HOME_REQUESTS_PAGE, PERSON_OPEN
from bot.slack.text import (
    escaped,
    format_date,
    format_datetime,
    local_datetime,
    person_name,
)
from bot.staff.blocks import help_blocks, role_name, undelivered_blocks
from storage.enums import RequestKind, RequestStatus
from storage.home import REQUEST_LIMIT, ControllerOverview, HomeOverview, OpenRequest
from storage.meetings import FOLLOW_UP_LIMIT, MeetingSummary
from storage.staff import StaffMember

REQUEST_KIND_NAMES = {
    RequestKind.ACCESS: N_("access"),
    RequestKind.RECTIFICATION: N_("rectification"),
    RequestKind.ERASURE: N_("erasure"),
    RequestKind.RESTRICTION: N_("restriction"),
    RequestKind.PORTABILITY: N_("portability"),
    RequestKind.OBJECTION: N_("objection"),
}
OPEN_STATUS_NAMES = {
    RequestStatus.RECEIVED: N_("received"),
    RequestStatus.IN_PROGRESS: N_("in progress"),
    RequestStatus.FULFILLED: N_("fulfilled, delivery to be recorded"),
}


def _open_button(person_id: int, t: Translator) -> ButtonElement:
    return ButtonElement(action_id=PERSON_OPEN, text=t("Open card"), value=str(person_id))


def _meeting_line(meeting: MeetingSummary, t: Translator, zone: ZoneInfo) -> str:
    fallback = format_datetime(meeting.occurred_at, t.language, zone)
    line = (
        f"*{person_name(meeting.first_name, meeting.last_name)}*  ·  "
        f"{local_datetime(meeting.occurred_at, fallback)}  ·  {kind_name(meeting.kind, t)}"
    )
    return f"{line}\n{escaped(meeting.topic, TOPIC_SHOWN)}" if meeting.topic else line


def _follow_up_line(meeting: MeetingSummary, t: Translator) -> str:
    assert meeting.follow_up_on is not None
    line = t(
        "*%(name)s*  ·  follow-up on %(date)s",
        name=person_name(meeting.first_name, meeting.last_name),
        date=format_date(meeting.follow_up_on, t.language),
    )
    return f"{line}\n{escaped(meeting.topic, TOPIC_SHOWN)}" if meeting.topic else line


def meeting_blocks(overview: HomeOverview, t: Translator, zone: ZoneInfo) -> list[Block]:
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=t("Your latest meetings"))]
    if not overview.recent_meetings:
        blocks.append(
            SectionBlock(text=t("No meetings yet. Log one with `/tapaaminen` (`/meeting`)."))
        )
    for meeting in overview.recent_meetings:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=_meeting_line(meeting, t, zone)),
                accessory=_open_button(meeting.person_id, t),
            )
        )
    blocks.append(HeaderBlock(text=t("Your follow-ups in the next 14 days")))
    if not overview.follow_ups:
        blocks.append(SectionBlock(text=t("No follow-ups due.")))
    for meeting in overview.follow_ups:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(text=_follow_up_line(meeting, t)),
                accessory=_open_button(meeting.person_id, t),
            )
        )
    return blocks + _follow_up_pages(overview, t)


def _follow_up_pages(overview: HomeOverview, t: Translator) -> list[Block]:
    """Where the follow-ups shown stand among all of them, and the buttons to the others."""
    return _pages(
        overview.follow_up_page,
        FOLLOW_UP_LIMIT,
        len(overview.follow_ups),
        overview.follow_up_count,
        HOME_PAGE,
        t,
    )


def _pages(
    page: int, size: int, shown: int, count: int, action_id: str, t: Translator
) -> list[Block]:
    """Where the items shown stand among all of them, and the buttons to the other pages."""
    first = page * size
    last = first + shown
    if page == 0 and count <= last:
        return []
    buttons = []
    if page > 0:
        value = str(page - 1)
        buttons.append(ButtonElement(text=t("Previous page"), action_id=action_id, value=value))
    if count > last:
        value = str(page + 1)
        buttons.append(ButtonElement(text=t("Next page"), action_id=action_id, value=value))
    where = t.n(
        "%(first)d–%(last)d of %(count)d",
        "%(first)d–%(last)d of %(count)d",
        count,
        first=min(first + 1, last) if last else 0,
        last=last,
    )
    return [
        ContextBlock(elements=[MarkdownTextObject(text=where)]),
        ActionsBlock(elements=buttons),
    ]


def _request_line(request: OpenRequest, t: Translator, today: date) -> str:
    line = t(
        "*#%(number)s*  ·  `%(reference)s`  ·  %(kind)s, %(status)s  ·  due %(date)s",
        number=request.id,
        reference=request.person_reference or "—",
        kind=t(REQUEST_KIND_NAMES[request.kind]),
        status=t(OPEN_STATUS_NAMES[request.status]),
        date=format_date(request.due_on, t.language),
    )
    if request.due_on < today:
        return t("%(line)s  ·  *overdue*", line=line)
    return line


def controller_blocks(overview: ControllerOverview, t: Translator, today: date) -> list[Block]:
    """Each open request with the buttons that apply to it now, a page at a time, so that
    none depends on finding its first alert."""
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=t("Open data subject requests"))]
    if not overview.open_requests:
        blocks.append(SectionBlock(text=t("No open requests.")))
    for request in overview.open_requests:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_request_line(request, t, today))))
        buttons = request_buttons(
            request.id,
            request.status,
            verified=request.identity_verified,
            extended=request.extended,
            t=t,
        )
        blocks.append(ActionsBlock(elements=buttons))
    blocks += _pages(
        overview.request_page,
        REQUEST_LIMIT,
        len(overview.open_requests),
        overview.open_request_count,
        HOME_REQUESTS_PAGE,
        t,
    )
    blocks.append(
        SectionBlock(
            text=MarkdownTextObject(
                text=t(
                    "Records waiting for a retention decision: *%(count)d*",
                    count=overview.retention_due,
                )
            )
        )
    )
    return blocks + undelivered_blocks(overview.undelivered, t)


def home_view(
    member: StaffMember,
    t: Translator,
    overview: HomeOverview,
    *,
    zone: ZoneInfo,
    today: date,
) -> View:
    """The greeting, the staff member's meetings and follow-ups, a controller's requests and
    retention count, and what the bot can do."""
    blocks: list[Block] = [
        HeaderBlock(text=t("The register")),
        SectionBlock(
            text=MarkdownTextObject(
                text=t(
                    "Hello <@%(user)s>, your role is %(role)s.",
                    user=member.slack_user_id,
                    role=role_name(member.role, t),
                )
            )
        ),
    ]
    blocks += meeting_blocks(overview, t, zone)
    if overview.controller is not None:
        blocks += controller_blocks(overview.controller, t, today)
    blocks.append(DividerBlock())
    blocks += [
        *help_blocks(t)[1:],
        ContextBlock(
            elements=[
                MarkdownTextObject(text=t("Every look-up of a person is logged with its purpose."))
            ]
        ),
    ]
    pages = HomePages(
        follow_ups=overview.follow_up_page,
        requests=overview.controller.request_page if overview.controller else 0,
    )
    return View(type="home", blocks=blocks, private_metadata=pages.dump())
