"""The console session: reads a line, sends it to the bot as Slack would, shows what the bot
sent back, and turns each modal into a form."""

import re
import shlex
from dataclasses import dataclass, field
from typing import Any, TextIO

from slack_bolt import App

from bot.console.forms import CANCEL, FormCancelled, fill, input_blocks
from bot.console.render import Button, render_blocks, render_message, text_of
from bot.console.requests import CONSOLE_CHANNEL, Answer, RequestSender
from bot.console.web_api import ConsoleSlack, ConsoleWebClient, Outgoing, direct_channel
from bot.jobs import JOBS
from bot.jobs.runner import run_job
from bot.runtime.settings import Settings
from bot.slack.i18n import N_, Translator, translator
from bot.staff.inputs import ROLE_WORDS
from storage import staff as staff_store
from storage.db import Database
from storage.enums import Role
from storage.errors import RegisterError

LOCAL_ADMIN = "ULOCALADMIN"
PROMPT = "> "
MENTION = re.compile(r"(?<![<\w])@([UW][A-Z0-9]{2,})\b")
HELP = """\
Type slash commands as in Slack: /asiakas virtanen, /asiakas uusi, /tapaaminen virtanen,
/tietopyynto, /rekisteri henkilokunta, /rekisteri lisaa @U123 yhteyshenkilo (English
aliases too: /customer, /meeting, /dsr, /register). The console's own commands:
  N or /press N       press button N of those shown last
  /home               open the Home tab
  /as USER [ROLE]     act as another Slack user id; with ROLE (advisor, contact or admin)
                      first make them staff with that role (you must be an admin)
  /jobs list          the scheduled jobs; /jobs run NAME runs one now, once for its
                      period (--force runs it again)
  /submit, /close     submit or close the modal shown; in a form, /cancel closes it,
                      Enter skips an optional field or keeps the value shown, - clears it
  Enter               show what the bot sent since (work it finishes in the background)
  /help, /quit        this help; leave (Ctrl-D leaves too)"""

JOBS_USAGE = N_("Usage: /jobs run NAME [--force], NAME one of %(jobs)s")
JOB_RAN = N_("%(job)s ran for %(period)s: %(summary)s")
JOB_ALREADY_RAN = N_(
    "%(job)s already ran for %(period)s; nothing done (/jobs run %(job)s --force runs it again)"
)


def mentions(text: str) -> str:
    """A typed `@U123` as Slack escapes a mention in a command's text: `<@U123>`."""
    return MENTION.sub(r"<@\1>", text)


@dataclass
class Pressable:
    button: Button
    source: dict[str, Any] = field(default_factory=dict)


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

    # -- the loop

    def run(self) -> None:
        self.say(f"The register bot console. You are {self.user_id}. /help lists the commands.")
        while self.step():
            pass

    def step(self) -> bool:
        """Reads and handles one line; False once the input has ended or /quit was typed."""
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
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        if line.isdigit():
            self.press(int(line))
        elif word == "/press" and rest.isdigit():
            self.press(int(rest))
        elif word == "/help":
            self.say(HELP)
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
            self.say("No form is open.")
        elif word in ("/submit", "/close"):
            if not self.views:
                self.say("No modal is open.")
            elif word == "/submit" and not self.views[-1].get("submit"):
                self.say("This modal has nothing to submit: /close closes it.")
            elif word == "/submit":
                self.submit({})
            else:
                self.views.pop()
                self.show_top_view()
        elif word.startswith("/"):
            self.after(self.sender.command(word, mentions(rest), user_id=self.user_id))
        else:
            self.say("Type a slash command, a button's number, or /help.")

    # -- console commands

    def act_as(self, arguments: str) -> None:
        parts = arguments.split()
        if not parts:
            self.say(f"You are {self.user_id}.")
            return
        user_id = parts[0].lstrip("@").upper()
        if len(parts) > 1:
            role = ROLE_WORDS.get(parts[1].lower())
            if role is None:
                self.say(f"No role {parts[1]!r}: advisor, contact or admin.")
                return
            try:
                with self.database.transaction() as session:
                    actor = staff_store.find(session=session, slack_user_id=self.user_id)
                    if actor is None or actor.role != Role.ADMIN:
                        self.say("Only an admin can give a role: /as an admin first.")
                        return
                    staff_store.grant(
                        session=session, actor=actor, slack_user_id=user_id, role=role
                    )
            except RegisterError as error:
                self.say(f"Could not give the role: {type(error).__name__}.")
                return
        self.user_id = user_id
        self.views = []
        as_role = f", as {parts[1].lower()}" if len(parts) > 1 else ""
        self.say(f"You are now {user_id}{as_role}.")

    def jobs(self, arguments: str) -> None:
        parts = shlex.split(arguments)
        if parts[:1] == ["list"] or not parts:
            for job in JOBS.values():
                self.say(f"{job.name}: {job.description}")
            return
        t = self.translator()
        force = "--force" in parts
        names = [part for part in parts[1:] if part != "--force"]
        if parts[0] != "run" or len(names) != 1 or names[0] not in JOBS:
            self.say(t(JOBS_USAGE, jobs=", ".join(sorted(JOBS))))
            return
        outcome = run_job(
            names[0],
            database=self.database,
            client=self.client,
            settings=self.settings,
            force=force,
        )
        said = JOB_RAN if outcome.ran else JOB_ALREADY_RAN
        self.say(t(said, job=outcome.job, period=outcome.period, summary=outcome.summary))

    # -- buttons

    def press(self, number: int) -> None:
        shown = self.buttons_shown()
        if not 1 <= number <= len(shown):
            self.say(f"No button {number} is shown.")
            return
        pressable = shown[number - 1]
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

    # -- what the bot sent

    def after(self, answer: Answer) -> None:
        """Shows the bot's acknowledgement and what it sent, then any modal it opened."""
        if answer.status == 401:
            self.say("The bot refused the request's signature.")
        elif answer.body.get("text") or answer.body.get("blocks"):
            self.show_message("only you can see this", answer.body, {})
        self.show_sent(forms=True)

    def show_sent(self, *, forms: bool = False) -> None:
        opened = False
        for outgoing in self.slack.take():
            opened = self.show_outgoing(outgoing) or opened
        if forms and opened:
            self.show_top_view()

    def show_outgoing(self, outgoing: Outgoing) -> bool:
        """Shows one thing the bot sent; True when it opened or changed a modal."""
        args, answer = outgoing.args, outgoing.answer
        kind = outgoing.kind
        if kind in ("chat.postMessage", "chat.update"):
            channel = str(answer.get("channel") or args.get("channel", ""))
            message = answer.get("message", {})
            source = {
                "container": {
                    "type": "message",
                    "message_ts": answer.get("ts"),
                    "channel_id": channel,
                },
                "channel": {"id": channel},
                "message": message,
            }
            where = self.place(channel)
            if kind == "chat.update":
                where += ", updated"
            self.show_message(where, args, source)
        elif kind == "chat.postEphemeral":
            self.show_message(
                "only you can see this", args, {"channel": {"id": args.get("channel")}}
            )
        elif kind == "respond":
            self.show_message("only you can see this", args, {"channel": {"id": CONSOLE_CHANNEL}})
        elif kind == "file":
            self.say(f"[file to {self.place(str(args.get('channel') or ''))}]")
            if args.get("initial_comment"):
                self.say(str(args["initial_comment"]))
            for path in args["paths"]:
                self.say(f"  saved {path}")
        elif kind == "files.delete":
            self.say(f"[file {args.get('file')} deleted from Slack]")
        elif kind == "views.publish":
            self.home = answer["view"]
            self.show_view(self.home, heading="Home tab")
        elif kind in ("views.open", "views.push"):
            if kind == "views.open":
                self.views = []
            self.views.append(answer["view"])
            return True
        elif kind == "views.update":
            view = answer["view"]
            if self.home is not None and view["id"] == self.home["id"]:
                self.home = view
                self.show_view(view, heading="Home tab")
            for index, shown in enumerate(self.views):
                if shown["id"] == view["id"]:
                    self.views[index] = view
                    return True
        return False

    def place(self, channel: str) -> str:
        if channel in (self.user_id, direct_channel(self.user_id)):
            return "direct message to you"
        if channel.startswith("D"):
            return f"direct message to U{channel[1:]}"
        return f"in #{channel}"

    def show_message(self, where: str, message: dict[str, Any], source: dict[str, Any]) -> None:
        rendered = render_message(str(message.get("text", "")), message.get("blocks"))
        self.say(f"[{where}]")
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
        elif pressables:
            self.pressables = pressables

    def buttons_shown(self) -> list[Pressable]:
        """The open modal's buttons; with none open, those of the last message shown."""
        if self.views:
            return self.modal_buttons.get(self.views[-1]["id"], [])
        return self.pressables

    # -- modals

    def show_top_view(self) -> None:
        if not self.views:
            if self.pressables:
                labels = ", ".join(
                    f"[{n}] {p.button.label}" for n, p in enumerate(self.pressables, 1)
                )
                self.say(f"(Buttons shown last: {labels})")
            return
        view = self.views[-1]
        title = text_of(view.get("title")) or "Modal"
        self.show_view(view, heading=f"modal: {title}")
        if input_blocks(view):
            self.submit(None)
        elif view.get("submit"):
            self.say(f"/submit to {text_of(view['submit'])}, /close to close.")
        else:
            self.say("/close to close.")

    def submit(self, answers: dict[str, Any] | None) -> None:
        """Fills the top modal's form (or resubmits `answers`) until the bot accepts it."""
        errors: dict[str, str] | None = None
        state = answers or {}
        while True:
            view = self.views[-1]
            if answers is None or errors:
                t = self.translator()
                try:
                    state = fill(
                        view,
                        ask=self.ask,
                        say=self.say,
                        search=self.search,
                        zone=self.settings.zone,
                        t=t,
                        answers=state,
                        errors=errors,
                    )
                except FormCancelled:
                    self.views.pop()
                    self.say(t("Closed the form."))
                    self.show_top_view()
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
            self.views[-1] = self.slack.open_view(answer.body["view"], view_id=view["id"])
        elif action == "push":
            self.views.append(self.slack.open_view(answer.body["view"]))
        elif action == "clear":
            self.views = []
        else:
            self.views.pop()
        self.show_sent()
        if self.views:
            self.show_top_view()

    def translator(self) -> Translator:
        """The language of the staff member acted as, for the forms' own words."""
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
