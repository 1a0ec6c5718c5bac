"""The console session: reads a line, sends it to the bot as Slack would, shows what the bot
sent back, and turns each modal into a form. Its own words follow the staff member's language.

A form the bot gives back with a warning (a possible duplicate, a request to file anyway) keeps
every answer: the console asks only the fields that are new on it, and holds the form while
its buttons are pressed. Every message shown keeps a number, so that the buttons of an earlier
message (an alert that has scrolled away) can still be pressed."""

import re
import shlex
from dataclasses import dataclass
from typing import Any, TextIO

from slack_bolt import App

from bot.console.forms import CANCEL, FormCancelled, fill, input_blocks, is_empty
from bot.console.history import History, Place, Pressable
from bot.console.render import Button, render_blocks, render_message, text_of
from bot.console.requests import CONSOLE_CHANNEL, Answer, RequestSender
from bot.console.web_api import ConsoleSlack, ConsoleWebClient, Outgoing, direct_channel
from bot.jobs import JOBS
from bot.jobs.runner import UnknownAgency, run_job
from bot.runtime.settings import Settings
from bot.slack.i18n import N_, Translator, translator
from bot.slack.ids import ALL_COMMANDS
from bot.staff.inputs import ROLE_WORDS
from storage import staff as staff_store
from storage.db import Database
from storage.enums import Role
from storage.errors import RegisterError

LOCAL_ADMIN = "ULOCALADMIN"
PROMPT = "> "
MENTION = re.compile(r"(?<![<\w])@([UW][A-Z0-9]{2,})\b")
PRESS_IN_MESSAGE = re.compile(r"(\d+)\.(\d+)")
HELP = N_("""\
Type slash commands as in Slack: /asiakas virtanen, /asiakas uusi, /tapaaminen virtanen,
/tietopyynto, /rekisteri henkilokunta, /rekisteri lisaa @U123 yhteyshenkilo (English
aliases too: /customer, /meeting, /dsr, /register). The console's own commands:
  N or /press N       press button N of those shown last
  /messages           the recent messages, numbered, with their buttons;
  M.N or /press M.N   press button N of message M
  /home               open the Home tab: your requests to work, each with its buttons
  /as USER [ROLE]     act as another Slack user id; with ROLE (advisor, contact or admin)
                      first make them staff with that role (you must be an admin)
  /jobs list          the scheduled jobs; /jobs run NAME runs one now, once for its
                      period (--force runs it again)
  /submit, /close     submit or close the modal shown; in a form, /cancel closes it,
                      Enter skips an optional field or keeps the value shown, - clears it;
                      /edit asks every field of a form again
  Enter               show what the bot sent since (work it finishes in the background)
  /help, /quit        this help; leave (Ctrl-D leaves too)""")
FORM_KEPT = N_(
    "The form keeps your answers: /submit sends it again, /edit asks every field again, a "
    "button's number presses it, /close closes the form."
)

NO_BUTTON_IN_MODAL = N_(
    "The modal open has no button %(number)s: /close closes it, and the numbers are then "
    "those of the message shown last."
)
JOBS_USAGE = N_("Usage: /jobs run NAME [--force] [--agency ID], NAME one of %(jobs)s")
NO_AGENCY_AT_WORK = N_("No agency %(agency)s at work (unknown, or uninstalled).")
JOB_RAN = N_("%(job)s ran for %(period)s: %(summary)s")
JOB_ALREADY_RAN = N_(
    "%(job)s already ran for %(period)s; nothing done (/jobs run %(job)s --force runs it again)"
)


def mentions(text: str) -> str:
    """A typed `@U123` as Slack escapes a mention in a command's text: `<@U123>`."""
    return MENTION.sub(r"<@\1>", text)


@dataclass(frozen=True)
class JobRequest:
    """`/jobs run NAME [--agency ID] [--force]`, the options in any order."""

    name: str
    agency: int | None = None
    force: bool = False

    @classmethod
    def of(cls, parts: list[str]) -> "JobRequest | None":
        if parts[:1] != ["run"]:
            return None
        words = iter(parts[1:])
        names, agency, force = [], None, False
        for word in words:
            if word == "--force":
                force = True
            elif word == "--agency":
                agency = int(next(words, ""))
            else:
                names.append(word)
        return cls(names[0], agency, force) if len(names) == 1 else None


class Console:
    def __init__(
        self,
        app: App,
        slack: ConsoleSlack,
        client: ConsoleWebClient,
        *,
        settings: Settings,
        database: Database,
        input: TextIO,
        output: TextIO,
        user_id: str = LOCAL_ADMIN,
        line_editing: bool = False,
    ) -> None:
        self.slack = slack
        self.client = client
        self.settings = settings
        self.database = database
        self.sender = RequestSender(app, settings.slack_signing_secret or "", slack.response_url)
        self.input = input
        self.output = output
        self.user_id = user_id
        self.line_editing = line_editing
        self.views: list[dict[str, Any]] = []
        self.home: dict[str, Any] | None = None
        self.pressables: list[Pressable] = []
        self.modal_buttons: dict[str, list[Pressable]] = {}
        # Whether N presses the open modal's buttons: not once the Home tab or a message with
        # buttons has been shown after it.
        self.modal_shown_last = False
        self.history = History()
        # Forms given back with a warning: their answers so far, by view id.
        self.held: dict[str, dict[str, Any]] = {}
        self.t = translator(settings.default_language)

    # -- the loop

    def run(self) -> None:
        self.t = self.translator()
        self.say(
            self.t(
                "The register bot console. You are %(user)s. /help lists the commands.",
                user=self.user_id,
            )
        )
        while self.step():
            pass

    def step(self) -> bool:
        """Reads and handles one line; False once the input has ended or /quit was typed."""
        self.t = self.translator()
        self.show_sent()
        line = self.read(PROMPT)
        if line is None:
            return False
        line = line.strip()
        if line in ("/quit", "/exit"):
            return False
        if line:
            self.handle(line)
        return True

    def handle(self, line: str) -> None:
        t = self.t
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        pressed = rest if word == "/press" else line
        if pressed.isdigit():
            self.press(int(pressed))
        elif match := PRESS_IN_MESSAGE.fullmatch(pressed):
            self.press_in_message(int(match.group(1)), int(match.group(2)))
        elif word == "/press":
            self.say(t("Press a button by its number: /press N, or /press M.N in message M."))
        elif word == "/help":
            self.say(t(HELP))
        elif word == "/messages":
            self.list_messages()
        elif word == "/as":
            self.act_as(rest)
        elif word == "/jobs":
            self.jobs(rest)
        elif word == "/home":
            self.after(
                self.sender.event(
                    {
                        "type": "app_home_opened",
                        "user": self.user_id,
                        "channel": direct_channel(self.user_id),
                        "tab": "home",
                        "event_ts": self.sender.trigger_id(),
                    }
                )
            )
        elif word == CANCEL:
            self.say(t("No form is open."))
        elif word in ("/submit", "/close", "/edit"):
            self.modal_command(word)
        elif word in ALL_COMMANDS:
            self.after(self.sender.command(word, mentions(rest), user_id=self.user_id))
        elif word.startswith("/"):
            self.say(t("Unknown command %(command)s: /help lists the commands.", command=word))
        else:
            self.say(t("Type a slash command, a button's number, or /help."))

    def modal_command(self, word: str) -> None:
        t = self.t
        if not self.views:
            self.say(t("No modal is open."))
            return
        view = self.views[-1]
        if word == "/close":
            self.views.pop()
            self.held.pop(view["id"], None)
            self.show_top_view()
        elif word == "/edit" and input_blocks(view):
            self.held.pop(view["id"], None)
            self.submit(None)
        elif word == "/submit" and view["id"] in self.held:
            self.submit(self.held.pop(view["id"]))
        elif word == "/submit" and view.get("submit"):
            self.submit({})
        else:
            self.say(t("This modal has nothing to submit: /close closes it."))

    # -- console commands

    def act_as(self, arguments: str) -> None:
        t = self.t
        parts = arguments.split()
        if not parts:
            self.say(t("You are %(user)s.", user=self.user_id))
            return
        user_id = parts[0].lstrip("@").upper()
        if len(parts) > 1:
            role = ROLE_WORDS.get(parts[1].lower())
            if role is None:
                self.say(t("No role %(role)s: advisor, contact or admin.", role=repr(parts[1])))
                return
            try:
                with self.database.transaction() as session:
                    actor = staff_store.find(session=session, slack_user_id=self.user_id)
                    if actor is None or actor.role != Role.ADMIN:
                        self.say(t("Only an admin can give a role: /as an admin first."))
                        return
                    staff_store.grant(
                        session=session, actor=actor, slack_user_id=user_id, role=role
                    )
            except RegisterError as error:
                self.say(t("Could not give the role: %(error)s.", error=type(error).__name__))
                return
        self.user_id = user_id
        self.views = []
        self.held = {}
        self.t = t = self.translator()
        if len(parts) > 1:
            self.say(t("You are now %(user)s, as %(role)s.", user=user_id, role=parts[1].lower()))
        else:
            self.say(t("You are now %(user)s.", user=user_id))

    def jobs(self, arguments: str) -> None:
        parts = shlex.split(arguments)
        if parts[:1] == ["list"] or not parts:
            for job in JOBS.values():
                self.say(f"{job.name}: {job.description}")
            return
        t = self.t
        try:
            request = JobRequest.of(parts)
        except ValueError:
            request = None
        if request is None or request.name not in JOBS:
            self.say(t(JOBS_USAGE, jobs=", ".join(sorted(JOBS))))
            return
        try:
            outcome = run_job(
                request.name,
                database=self.database,
                client=self.client,
                settings=self.settings,
                agency=request.agency,
                force=request.force,
            )
        except UnknownAgency:
            self.say(t(NO_AGENCY_AT_WORK, agency=request.agency))
            return
        for each in outcome.agencies or (outcome,):
            said = JOB_RAN if each.ran else JOB_ALREADY_RAN
            self.say(t(said, job=outcome.job, period=each.period, summary=each.summary))

    # -- buttons

    def press(self, number: int) -> None:
        shown = self.buttons_shown()
        if not 1 <= number <= len(shown) and self.in_modal():
            self.say(self.t(NO_BUTTON_IN_MODAL, number=number))
            return
        if not 1 <= number <= len(shown):
            self.say(self.t("No button %(number)s is shown.", number=number))
            return
        self.press_button(shown[number - 1])

    def press_in_message(self, message: int, number: int) -> None:
        shown = self.history.find(message)
        if shown is None:
            self.say(self.t("No message %(number)s: /messages lists them.", number=message))
        elif not 1 <= number <= len(shown.pressables):
            self.say(
                self.t(
                    "Message %(message)s has no button %(number)s.", message=message, number=number
                )
            )
        else:
            self.press_button(shown.pressables[number - 1])

    def press_button(self, pressable: Pressable) -> None:
        button = pressable.button
        action = {
            "action_id": button.action_id,
            "block_id": button.block_id,
            "value": button.value,
            "type": "button",
            "text": {"type": "plain_text", "text": button.label},
            "action_ts": self.sender.trigger_id(),
        }
        payload: dict[str, Any] = {"type": "block_actions", "actions": [action]}
        payload |= pressable.source
        if "view" not in pressable.source:
            payload["response_url"] = self.sender.response_url
        self.after(self.sender.interaction(payload, user_id=self.user_id))

    def list_messages(self) -> None:
        t = self.t
        if not self.history.messages:
            self.say(t("No messages yet."))
            return
        self.say(t("Recent messages: /press M.N presses button N of message M."))
        for shown in self.history.messages:
            where = self.where(shown.where)
            self.say(f"{self.message_label(shown.number)} [{where}] {shown.first_line}")
            labels = [
                f"[{shown.number}.{n}] {p.button.label}" for n, p in enumerate(shown.pressables, 1)
            ]
            if labels:
                self.say("    " + "   ".join(labels))

    def message_label(self, number: int) -> str:
        return self.t("(message %(number)s)", number=number)

    # -- what the bot sent

    def after(self, answer: Answer) -> None:
        """Shows the bot's acknowledgement and what it sent, then any modal it opened."""
        if answer.status == 401:
            self.say(self.t("The bot refused the request's signature."))
        elif answer.body.get("text") or answer.body.get("blocks"):
            self.show_message(self.only_you(), answer.body, {})
        self.show_sent(forms=True)

    def only_you(self) -> Place:
        return Place(only_for=self.user_id)

    def show_sent(self, *, forms: bool = False) -> None:
        opened = False
        for outgoing in self.slack.take():
            opened = self.show_outgoing(outgoing) or opened
        if forms and opened:
            self.show_top_view()

    def show_outgoing(self, outgoing: Outgoing) -> bool:
        """Shows one thing the bot sent; True when it opened or changed a modal."""
        t = self.t
        args, answer = outgoing.args, outgoing.answer
        kind = outgoing.kind
        if kind in ("chat.postMessage", "chat.update"):
            channel = str(answer.get("channel") or args.get("channel", ""))
            message = answer.get("message", {})
            ts = str(answer.get("ts"))
            source = {
                "container": {"type": "message", "message_ts": ts, "channel_id": channel},
                "channel": {"id": channel},
                "message": message,
            }
            where = Place(channel, updated=kind == "chat.update")
            self.show_message(where, args, source, key=(direct_channel(channel), ts))
        elif kind == "chat.postEphemeral":
            self.show_message(self.only_you(), args, {"channel": {"id": args.get("channel")}})
        elif kind == "respond":
            self.show_message(self.only_you(), args, {"channel": {"id": CONSOLE_CHANNEL}})
        elif kind == "file":
            place = self.place(str(args.get("channel") or ""))
            self.say("[" + t("file to %(place)s", place=place) + "]")
            if args.get("initial_comment"):
                self.say(str(args["initial_comment"]))
            for path in args["paths"]:
                self.say("  " + t("saved %(path)s", path=path))
        elif kind == "files.delete":
            self.say("[" + t("file %(file)s deleted from Slack", file=args.get("file")) + "]")
        elif kind == "views.publish":
            self.home = answer["view"]
            self.show_view(self.home, heading=t("Home tab"))
        elif kind in ("views.open", "views.push"):
            if kind == "views.open":
                self.views = []
                self.held = {}
            self.views.append(answer["view"])
            return True
        elif kind == "views.update":
            view = answer["view"]
            if self.home is not None and view["id"] == self.home["id"]:
                self.home = view
                self.show_view(view, heading=t("Home tab"))
            for index, shown in enumerate(self.views):
                if shown["id"] == view["id"]:
                    self.views[index] = view
                    return True
        return False

    def where(self, place: Place) -> str:
        """Where a message went, as the staff member acted as now reads it."""
        t = self.t
        if place.only_for == self.user_id:
            where = t("only you can see this")
        elif place.only_for is not None:
            where = t("only %(user)s can see this", user=place.only_for)
        else:
            where = self.place(place.channel)
        return t("%(place)s, updated", place=where) if place.updated else where

    def place(self, channel: str) -> str:
        if channel in (self.user_id, direct_channel(self.user_id)):
            return self.t("direct message to you")
        if channel.startswith("D"):
            user = "U" + channel[1:]
            return self.t("direct message to %(user)s", user=user)
        return self.t("in #%(channel)s", channel=channel)

    def show_message(
        self,
        where: Place,
        message: dict[str, Any],
        source: dict[str, Any],
        key: tuple[str, str] | None = None,
    ) -> None:
        rendered = render_message(str(message.get("text", "")), message.get("blocks"))
        pressables = [Pressable(button, source) for button in rendered.buttons]
        shown = self.history.remember(where, rendered.lines, pressables, key)
        self.say(f"[{self.where(where)}] {self.message_label(shown.number)}")
        self.show_rendered(rendered.lines, rendered.buttons, source)

    def show_view(self, view: dict[str, Any], *, heading: str) -> None:
        self.say(f"[{heading}]")
        blocks = [block for block in view.get("blocks", []) if block.get("type") != "input"]
        rendered = render_blocks(blocks)
        source = {
            "container": {"type": "view", "view_id": view["id"]},
            "view": view,
        }
        self.show_rendered(rendered.lines, rendered.buttons, source)

    def show_rendered(
        self, lines: list[str], buttons: list[Button], source: dict[str, Any]
    ) -> None:
        for line in lines:
            self.say(line)
        pressables = [Pressable(button, source) for button in buttons]
        view = source.get("view")
        if view is not None and view.get("type") == "modal":
            self.modal_buttons[view["id"]] = pressables
            self.modal_shown_last = True
        elif pressables:
            self.pressables = pressables
            self.modal_shown_last = False

    def buttons_shown(self) -> list[Pressable]:
        """The open modal's buttons, unless the Home tab or a message with buttons was shown
        after it; else those of the last message shown."""
        if self.in_modal():
            return self.modal_buttons.get(self.views[-1]["id"], [])
        return self.pressables

    def in_modal(self) -> bool:
        return bool(self.views) and self.modal_shown_last

    # -- modals

    def show_top_view(self) -> None:
        t = self.t
        if not self.views:
            if self.pressables and self.pressables[0].source.get("view", {}).get("type") == "home":
                self.say(t("(Buttons shown last: the Home tab's; /home shows them again.)"))
            elif self.pressables:
                labels = ", ".join(
                    f"[{n}] {p.button.label}" for n, p in enumerate(self.pressables, 1)
                )
                self.say(t("(Buttons shown last: %(labels)s)", labels=labels))
            return
        view = self.views[-1]
        title = text_of(view.get("title")) or t("Modal")
        self.show_view(view, heading=t("modal: %(title)s", title=title))
        if view["id"] in self.held:
            self.resume(view)
        elif input_blocks(view):
            self.submit(None)
        elif view.get("submit"):
            self.say(t("/submit to %(submit)s, /close to close.", submit=text_of(view["submit"])))
        else:
            self.say(t("/close to close."))

    def resume(self, view: dict[str, Any]) -> None:
        """A form given back with a warning: asks only the fields that are new on it (a box to
        save anyway) and sends it again once one is answered; else holds it, every answer
        kept, while its buttons are pressed or a field is changed."""
        kept = self.held.pop(view["id"])
        new = {b["block_id"]: "" for b in input_blocks(view) if b["block_id"] not in kept}
        try:
            state = self.fill(view, kept, new) if new else kept
        except FormCancelled:
            self.close_form()
            return
        if new and any(not is_empty(state[block_id]) for block_id in new):
            self.submit(state)
            return
        self.held[view["id"]] = {k: v for k, v in state.items() if k not in new or not is_empty(v)}
        self.say(self.t(FORM_KEPT))

    def fill(
        self, view: dict[str, Any], answers: dict[str, Any], errors: dict[str, str] | None
    ) -> dict[str, Any]:
        return fill(
            view,
            ask=self.ask,
            say=self.say,
            search=self.search,
            zone=self.settings.zone,
            t=self.t,
            answers=answers,
            errors=errors,
        )

    def close_form(self) -> None:
        self.views.pop()
        self.say(self.t("Closed the form."))
        self.show_top_view()

    def submit(self, answers: dict[str, Any] | None) -> None:
        """Fills the top modal's form (or resubmits `answers`) until the bot accepts it; only
        the fields with errors are asked again."""
        errors: dict[str, str] | None = None
        state = answers or {}
        while True:
            view = self.views[-1]
            if answers is None or errors:
                try:
                    state = self.fill(view, state, errors)
                except FormCancelled:
                    self.close_form()
                    return
            submitted = view | {"state": {"values": state}}
            answer = self.sender.interaction(
                {"type": "view_submission", "view": submitted, "response_urls": []},
                user_id=self.user_id,
            )
            action = answer.body.get("response_action")
            if action == "errors":
                errors = answer.body.get("errors") or {}
                continue
            break
        if action == "update":
            updated = self.slack.open_view(answer.body["view"], view_id=view["id"])
            self.views[-1] = updated
            if input_blocks(updated) and updated.get("callback_id") == view.get("callback_id"):
                blocks = {block["block_id"] for block in input_blocks(updated)}
                self.held[view["id"]] = {k: v for k, v in state.items() if k in blocks}
        elif action == "push":
            self.views.append(self.slack.open_view(answer.body["view"]))
        elif action == "clear":
            self.views = []
            self.held = {}
        else:
            self.views.pop()
        self.show_sent()
        if self.views:
            self.show_top_view()

    def translator(self) -> Translator:
        """The language of the staff member acted as, for the console's own words."""
        with self.database.transaction() as session:
            member = staff_store.find(session=session, slack_user_id=self.user_id)
            language = member.language if member is not None else None
        return translator(language or self.settings.default_language)

    def search(self, block_id: str, action_id: str, query: str) -> list[dict[str, Any]]:
        answer = self.sender.interaction(
            {
                "type": "block_suggestion",
                "block_id": block_id,
                "action_id": action_id,
                "value": query,
                "view": self.views[-1],
                "container": {"type": "view", "view_id": self.views[-1]["id"]},
            },
            user_id=self.user_id,
        )
        options = list(answer.body.get("options") or [])
        for group in answer.body.get("option_groups") or []:
            options += group.get("options", [])
        return options

    # -- the terminal

    def ask(self, prompt: str) -> str:
        line = self.read(prompt)
        if line is None:
            raise FormCancelled
        return line

    def read(self, prompt: str) -> str | None:
        if self.line_editing:
            try:
                return input(prompt)
            except EOFError:
                self.say("")
                return None
            except KeyboardInterrupt:
                self.say("")
                return CANCEL
        self.output.write(prompt)
        self.output.flush()
        line = self.input.readline()
        if not line:
            return None
        self.output.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\n")

    def say(self, text: str) -> None:
        self.output.write(text + "\n")
        self.output.flush()
