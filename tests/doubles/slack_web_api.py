"""A loopback double of Slack's Web API, checked against Slack's published method reference.

Every call is validated against the method's facts and the limits in
``tests/slack_reference/reference.json`` (derived from Slack's published data); each
rejection is also appended to ``violations`` so tests can end with
``assert double.violations == []``. Successful answers keep to the shapes of Slack's recorded
responses in the same file (see ``shape_errors``).
"""

from __future__ import annotations

import contextlib
import copy
import email.parser
import email.policy
import functools
import itertools
import json
import mimetypes
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests import slack_reference
from tests.slack_reference import limit

JsonDict = dict[str, Any]

RESPONSE_URL = "response_url"
TOKEN_PREFIXES = ("xoxb-", "xoxp-", "xapp-")
APP_TOKEN_METHODS = frozenset({"apps.connections.open", "apps.event.authorizations.list"})
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
VIEW_METHODS = frozenset({"views.open", "views.push", "views.update", "views.publish"})
TRIGGER_METHODS = frozenset({"views.open", "views.push"})
JSON_STRING_ARGS = ("blocks", "view", "attachments", "metadata", "files")
MESSAGE_BLOCK_LIMIT = limit("message_blocks")
VIEW_BLOCK_LIMIT = limit("view_blocks")
# Slack lists invalid_blocks only for message methods; for views.* its reference shows
# block problems as invalid_arguments with response_metadata.messages.
VIEW_BLOCK_ERROR = "invalid_arguments"
INJECTED_ERRORS = {429: "ratelimited", 503: "service_unavailable"}
GENERIC_ERRORS = frozenset(
    {
        "not_authed",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "not_allowed_token_type",
        "invalid_arguments",
        "ratelimited",
        "internal_error",
        "fatal_error",
        "request_timeout",
        "service_unavailable",
        "team_access_not_granted",
    }
)
_TRIGGER_ID = re.compile(r"^\d+\.\d+\.[0-9A-Za-z]+$")
_METHOD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)+$")


def method_spec(method: str) -> JsonDict | None:
    """Slack's facts about ``method``, or None when the reference has no such method."""
    return slack_reference.method(method) if _METHOD_NAME.match(method) else None


def response_template(method: str) -> JsonDict | None:
    shape: JsonDict | None = slack_reference.response_shape(method)
    return shape if _METHOD_NAME.match(method) else None


def shape_errors(value: Any, template: Any, path: str = "") -> list[str]:
    """Where ``value`` leaves the shape of a blanked Slack response ``template``.

    Keys must exist in the template and scalars keep its types; null is allowed anywhere,
    an empty template object accepts anything, and a template list's items are merged.
    """
    if value is None or template is None or template == {}:
        return []
    if isinstance(template, dict):
        if not isinstance(value, dict):
            return [f"{path or '/'}: expected object"]
        errors = [f"{path}/{key}: not in Slack's shape" for key in value if key not in template]
        for key in value.keys() & template.keys():
            errors += shape_errors(value[key], template[key], f"{path}/{key}")
        return errors
    if isinstance(template, list):
        if not isinstance(value, list):
            return [f"{path}: expected array"]
        item = functools.reduce(_merge_shapes, template, None)
        return [e for i, v in enumerate(value) for e in shape_errors(v, item, f"{path}/{i}")]
    if isinstance(template, bool) or isinstance(value, bool):
        ok = isinstance(template, bool) and isinstance(value, bool)
    elif isinstance(template, (int, float)):
        ok = isinstance(value, (int, float))
    else:
        ok = isinstance(value, type(template))
    return (
        [] if ok else [f"{path}: {type(value).__name__} where Slack has {type(template).__name__}"]
    )


def _merge_shapes(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _merge_shapes(a.get(k), b.get(k)) if k in a else b[k] for k in a | b}
    if isinstance(a, list) and isinstance(b, list):
        return a + b
    return b if a is None else a


@dataclass
class Call:
    method: str
    args: JsonDict
    headers: dict[str, str]  # lower-cased names
    injected: str | None = None  # "429", "500", "drop", ... when a fault answered it
    response: JsonDict | None = None
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Grant:
    """A workspace's installation, as oauth.v2.access answers it for one code."""

    team_id: str
    team_name: str
    bot_token: str
    installer: str
    bot_user_id: str = "U0BOT0001"
    bot_id: str = "B0BOT0001"
    scope: str = "commands,chat:write,files:write"


@dataclass
class Upload:
    file_id: str
    filename: str
    title: str | None
    content: bytes
    channel_id: str | None
    initial_comment: str | None
    thread_ts: str | None


@dataclass
class _Fault:
    status: int | None  # None: drop the connection
    error: str | None
    retry_after: int | None
    remaining: int


class Hold:
    """A call kept waiting by the double until the test releases it."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()


@dataclass
class _PendingFile:
    filename: str
    length: int
    content: bytes | None = None


class _Rejection(Exception):
    def __init__(self, error: str, *details: str, status: int = 200) -> None:
        super().__init__(error)
        self.error = error
        self.details = list(details)
        self.status = status

    def body(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error": self.error}
        if self.error in ("invalid_arguments", "invalid_blocks"):
            body["response_metadata"] = {"messages": self.details}
        return body


class _Server(ThreadingHTTPServer):
    double: SlackWebApiDouble


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self.server.double._serve(self)

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SlackWebApiDouble:
    """Slack's Web API on 127.0.0.1; point ``WebClient(base_url=double.base_url)`` at it."""

    TEAM_ID = "T0TEAM001"
    TEAM_NAME = "Test Team"
    BOT_USER_ID = "U0BOT0001"
    BOT_ID = "B0BOT0001"
    APP_ID = "A0APP0001"
    trigger_ttl = float(limit("trigger_id_seconds"))

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.socket_mode_url: str | None = None
        self.users: dict[str, JsonDict] = {}  # users.info overrides, merged into the default
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.uploads: list[Upload] = []
        # Files uploaded and still in Slack, and those deleted since: what files.delete finds.
        self.files: dict[str, Upload] = {}
        self.deleted_files: set[str] = set()
        self._lock = threading.Lock()
        self._faults: dict[str, list[_Fault]] = {}
        self._holds: dict[str, list[Hold]] = {}
        self._answered = threading.Condition(self._lock)
        self._pending_files: dict[str, _PendingFile] = {}
        self._issued_triggers: dict[str, float] = {}
        self._used_triggers: set[str] = set()
        self._counters: dict[str, itertools.count[int]] = {}
        # OAuth: what oauth.v2.access answers for each code, and the workspace of each token.
        self._grants: dict[str, Grant] = {}
        self._workspaces: dict[str, Grant] = {}
        self._caller: Grant | None = None  # the workspace of the call being answered
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle

    def start(self) -> SlackWebApiDouble:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.double = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-web-api-double",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> SlackWebApiDouble:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("SlackWebApiDouble is not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/"

    # -- test controls

    def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> bool:
        """Waits until ``count`` calls of ``method`` (or RESPONSE_URL) have been answered."""
        with self._answered:
            return self._answered.wait_for(
                lambda: sum(c.method == method for c in self.calls if c.response) >= count,
                timeout=timeout,
            )

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.violations.clear()
            self.uploads.clear()
            self.files.clear()
            self.deleted_files.clear()
            self._faults.clear()
            self._pending_files.clear()
            self._issued_triggers.clear()
            self._used_triggers.clear()

    def grant(self, code: str, grant: Grant) -> None:
        """oauth.v2.access will exchange ``code`` (once) for an installation of ``grant``."""
        with self._lock:
            self._grants[code] = grant

    def issue_trigger_id(self, age: float = 0.0) -> str:
        """A trigger_id as Slack would put in a payload, issued ``age`` seconds ago."""
        with self._lock:
            n = self._next("trigger")
            trigger_id = f"{n}.{1700000000 + n}.{secrets.token_hex(16)}"
            self._issued_triggers[trigger_id] = self.clock() - age
            return trigger_id

    def inject(
        self,
        method: str,
        status: int = 429,
        *,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with ``status`` instead of serving them.

        429 carries ``Retry-After``; ``status=200`` with an ``error`` code from the method's
        reference (or a generic one) injects a plain ``ok: false`` answer.
        """
        error = error or INJECTED_ERRORS.get(status) or "internal_error"
        spec = method_spec(method)
        if spec is None:
            raise ValueError(f"Slack has no method {method!r}")
        if error not in GENERIC_ERRORS and error not in spec["errors"]:
            raise ValueError(f"{method} does not document error {error!r}")
        fault = _Fault(status, error, retry_after if status == 429 else None, times)
        with self._lock:
            self._faults.setdefault(method, []).append(fault)

    def clear_faults(self) -> None:
        """Slack is well again: the injected faults not yet served are dropped."""
        with self._lock:
            self._faults.clear()

    def hold(self, method: str) -> Hold:
        """Keep the next call of ``method`` waiting, once it has arrived, until released (as a
        slow Slack, or a ``Retry-After``, would)."""
        if method_spec(method) is None:
            raise ValueError(f"Slack has no method {method!r}")
        hold = Hold()
        with self._lock:
            self._holds.setdefault(method, []).append(hold)
        return hold

    def inject_drop(self, method: str, times: int = 1) -> None:
        """Close the connection without answering the next ``times`` calls of ``method``."""
        if method_spec(method) is None:
            raise ValueError(f"Slack has no method {method!r}")
        with self._lock:
            self._faults.setdefault(method, []).append(_Fault(None, None, None, times))

    # -- HTTP

    def _serve(self, handler: _Handler) -> None:
        url = urlsplit(handler.path)
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in handler.headers.items()}
        if url.path.startswith("/upload/"):
            status, text = self._receive_upload(url.path.removeprefix("/upload/"), body)
            _send(handler, status, text.encode(), {"Content-Type": "text/plain; charset=utf-8"})
        elif url.path.startswith("/api/"):
            method = url.path.removeprefix("/api/")
            self._wait_if_held(method)
            status, reply, extra_headers = self._api_call(method, url.query, body, headers)
            with self._answered:
                self._answered.notify_all()
            if reply is None:
                handler.close_connection = True
                return
            extra_headers["Content-Type"] = "application/json; charset=utf-8"
            extra_headers["X-Slack-Req-Id"] = secrets.token_hex(16)
            _send(handler, status, json.dumps(reply).encode(), extra_headers)
        elif url.path.startswith("/response/"):
            # A response_url: Slack takes a JSON message there and answers a plain "ok".
            with self._lock:
                call = Call(RESPONSE_URL, json.loads(body or b"{}"), headers, response={"ok": True})
                self.calls.append(call)
                self._answered.notify_all()
            _send(handler, 200, b"ok", {"Content-Type": "text/plain; charset=utf-8"})
        else:
            _send(handler, 404, b"Not Found", {"Content-Type": "text/plain"})

    def _wait_if_held(self, method: str) -> None:
        with self._lock:
            holds = self._holds.get(method)
            hold = holds.pop(0) if holds else None
        if hold is not None:
            hold.arrived.set()
            hold.released.wait(timeout=30)

    def _api_call(
        self, method: str, query: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, JsonDict | None, dict[str, str]]:
        with self._lock:
            call = Call(method, {}, headers)
            self.calls.append(call)
            try:
                call.args, token = _decode(query, body, headers)
                fault = self._take_fault(method)
                if fault is not None:
                    call.injected = "drop" if fault.status is None else str(fault.status)
                    if fault.status is None:
                        return 0, None, {}
                    call.response = {"ok": False, "error": fault.error}
                    extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                    return fault.status, call.response, extra
                call.response = self._answer(method, call.args, token)
                status = 200
            except _Rejection as rejection:
                self.violations.append(
                    f"{method}: {rejection.error}: {'; '.join(rejection.details)}"
                )
                call.response, status = rejection.body(), rejection.status
            except Exception as exc:  # a bug in the double must not look like a dropped connection
                self.violations.append(f"{method}: the double itself failed: {exc!r}")
                call.response, status = {"ok": False, "error": "internal_error"}, 500
            spec = method_spec(method) or {}
            scopes = ",".join(spec.get("scope_bot", []))
            return status, call.response, {"X-Accepted-OAuth-Scopes": scopes} if scopes else {}

    def _take_fault(self, method: str) -> _Fault | None:
        faults = self._faults.get(method)
        if not faults:
            return None
        fault = faults[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            faults.pop(0)
        return fault

    def _receive_upload(self, file_id: str, content: bytes) -> tuple[int, str]:
        with self._lock:
            pending = self._pending_files.get(file_id)
            if pending is None:
                self.violations.append(f"upload: POST to unknown upload URL for {file_id}")
                return 404, "Not Found"
            if len(content) != pending.length:
                self.violations.append(
                    f"upload: {file_id} got {len(content)} bytes, "
                    f"files.getUploadURLExternal said length={pending.length}"
                )
            pending.content = content
            return 200, f"OK - {len(content)}"

    # -- validation

    def _answer(self, method: str, args: JsonDict, token: str | None) -> JsonDict:
        spec = method_spec(method)
        if spec is None:
            raise _Rejection("unknown_method", f"Slack has no method {method!r}", status=404)
        required = spec["required"]
        if "token" in required or token is not None:
            _check_token(method, token)
        missing = [a for a in required if a != "token" and _absent(args.get(a))]
        if missing:
            raise _Rejection("invalid_arguments", f"missing required arguments: {missing}")
        if method in MESSAGE_METHODS:
            _check_message(args)
        elif "blocks" in args:
            _raise_if(
                _block_problems(args["blocks"], "/blocks", MESSAGE_BLOCK_LIMIT), "invalid_blocks"
            )
        if method in VIEW_METHODS:
            self._check_view(method, args)
        if method == "files.completeUploadExternal":
            self._check_completed_files(args)
        self._caller = self._workspaces.get(token or "")
        if method == "auth.test":
            return self._reply_auth_test(args, token)
        builder = getattr(self, "_reply_" + method.replace(".", "_"), None)
        return builder(args) if builder else {"ok": True}

    def _check_view(self, method: str, args: JsonDict) -> None:
        view = args["view"]
        if not isinstance(view, dict):
            raise _Rejection(
                "invalid_arguments", "[ERROR] view is not a JSON object [json-pointer:/view]"
            )
        if method == "views.update" and all(
            _absent(args.get(k)) for k in ("view_id", "external_id")
        ):
            raise _Rejection("invalid_arguments", "views.update needs view_id or external_id")
        _raise_if(_view_problems(method, view), "invalid_arguments")
        _raise_if(
            _block_problems(view.get("blocks", []), "/view/blocks", VIEW_BLOCK_LIMIT),
            VIEW_BLOCK_ERROR,
        )
        # Checked last so that a rejected view does not use up the trigger_id.
        if method in TRIGGER_METHODS:
            self._exchange_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))

    def _exchange_trigger(self, trigger_id: Any) -> None:
        if _absent(trigger_id):
            raise _Rejection("invalid_arguments", "invalid `trigger_id`")
        if not isinstance(trigger_id, str) or not _TRIGGER_ID.match(trigger_id):
            raise _Rejection(
                "invalid_trigger_id", f"{trigger_id!r} is not like 132456.7890123.abcdef"
            )
        if trigger_id in self._used_triggers:
            raise _Rejection("exchanged_trigger_id", f"{trigger_id} was already used")
        issued = self._issued_triggers.get(trigger_id)
        if issued is not None and self.clock() - issued > self.trigger_ttl:
            age = self.clock() - issued
            raise _Rejection("expired_trigger_id", f"{trigger_id} used {age:.1f}s after issue")
        self._used_triggers.add(trigger_id)

    def _check_completed_files(self, args: JsonDict) -> None:
        files = args["files"]
        if not isinstance(files, list) or not all(isinstance(f, dict) and "id" in f for f in files):
            raise _Rejection("invalid_arguments", "files must be a JSON array of {id, title}")
        for f in files:
            pending = self._pending_files.get(f["id"])
            if pending is None or pending.content is None:
                raise _Rejection("file_not_found", f"{f['id']} was not uploaded")

    # -- replies (the method name with dots as underscores)

    def _reply_auth_test(self, args: JsonDict, token: str | None = None) -> JsonDict:
        installed = self._workspaces.get(token or "")
        if installed is not None:
            return {
                "ok": True,
                "url": f"https://{installed.team_id.lower()}.slack.com/",
                "team": installed.team_name,
                "user": "testbot",
                "team_id": installed.team_id,
                "user_id": installed.bot_user_id,
                "bot_id": installed.bot_id,
                "is_enterprise_install": False,
            }
        return {
            "ok": True,
            "url": "https://test-team.slack.com/",
            "team": self.TEAM_NAME,
            "user": "testbot",
            "team_id": self.TEAM_ID,
            "user_id": self.BOT_USER_ID,
            "bot_id": self.BOT_ID,
            "is_enterprise_install": False,
        }

    def _reply_oauth_v2_access(self, args: JsonDict) -> JsonDict:
        grant = self._grants.pop(str(args.get("code")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        self._workspaces[grant.bot_token] = grant
        return {
            "ok": True,
            "app_id": self.APP_ID,
            "authed_user": {"id": grant.installer},
            "scope": grant.scope,
            "token_type": "bot",
            "access_token": grant.bot_token,
            "bot_user_id": grant.bot_user_id,
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _reply_apps_connections_open(self, args: JsonDict) -> JsonDict:
        if self.socket_mode_url is None:
            return {
                "ok": False,
                "error": "internal_error",
                "response_metadata": {"messages": ["set SlackWebApiDouble.socket_mode_url"]},
            }
        return {"ok": True, "url": self.socket_mode_url}

    def _reply_chat_postMessage(self, args: JsonDict) -> JsonDict:
        ts = self._next_ts()
        message = self._message(args) | {"ts": ts}
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}

    def _reply_chat_postEphemeral(self, args: JsonDict) -> JsonDict:
        return {"ok": True, "message_ts": self._next_ts()}

    def _reply_chat_update(self, args: JsonDict) -> JsonDict:
        message = self._message(args) | {
            "edited": {"user": self.BOT_USER_ID, "ts": self._next_ts()}
        }
        return {
            "ok": True,
            "channel": args["channel"],
            "ts": args["ts"],
            "text": args.get("text", ""),
            "message": message,
        }

    def _reply_conversations_open(self, args: JsonDict) -> JsonDict:
        if not _absent(args.get("channel")):
            return {"ok": True, "channel": {"id": args["channel"]}}
        users = args.get("users")
        users = users.split(",") if isinstance(users, str) else users
        if not users:
            raise _Rejection("users_list_not_supplied", "neither users nor channel given")
        channel_id = f"D{users[0]}" if len(users) == 1 else self._next_id("G")
        return {"ok": True, "no_op": False, "already_open": False, "channel": {"id": channel_id}}

    def _reply_users_info(self, args: JsonDict) -> JsonDict:
        user_id = args["user"]
        name = user_id.lower()
        user: JsonDict = {
            "id": user_id,
            "team_id": self.TEAM_ID,
            "name": name,
            "deleted": False,
            "real_name": f"User {user_id}",
            "tz": "Europe/London",
            "tz_label": "Greenwich Mean Time",
            "tz_offset": 0,
            "profile": {
                "real_name": f"User {user_id}",
                "display_name": name,
                "real_name_normalized": f"User {user_id}",
                "display_name_normalized": name,
                "email": f"{name}@example.com",
                "team": self.TEAM_ID,
            },
            "is_admin": False,
            "is_owner": False,
            "is_bot": False,
            "is_app_user": False,
            "updated": 1700000000,
        }
        override = self.users.get(user_id, {})
        user |= override
        user["profile"] = user["profile"] | override.get("profile", {})
        if _truthy(args.get("include_locale")):
            user.setdefault("locale", "en-GB")
        return {"ok": True, "user": user}

    def _reply_files_getUploadURLExternal(self, args: JsonDict) -> JsonDict:
        try:
            length = int(args["length"])
        except (TypeError, ValueError):
            raise _Rejection(
                "invalid_arguments", f"length {args['length']!r} is not an int"
            ) from None
        file_id = self._next_id("F")
        self._pending_files[file_id] = _PendingFile(args["filename"], length)
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _reply_files_completeUploadExternal(self, args: JsonDict) -> JsonDict:
        files = []
        for f in args["files"]:
            pending = self._pending_files.pop(f["id"])
            assert pending.content is not None
            upload = Upload(
                file_id=f["id"],
                filename=pending.filename,
                title=f.get("title"),
                content=pending.content,
                channel_id=args.get("channel_id"),
                initial_comment=args.get("initial_comment"),
                thread_ts=args.get("thread_ts"),
            )
            self.uploads.append(upload)
            self.files[f["id"]] = upload
            files.append(
                {
                    "id": f["id"],
                    "created": 1700000000,
                    "timestamp": 1700000000,
                    "name": pending.filename,
                    "title": f.get("title") or pending.filename,
                    "mimetype": mimetypes.guess_type(pending.filename)[0] or "text/plain",
                    "user": self.BOT_USER_ID,
                    "user_team": self.TEAM_ID,
                    "size": len(pending.content),
                    "is_external": False,
                    "url_private": f"{self.url}/files/{f['id']}/{pending.filename}",
                }
            )
        return {"ok": True, "files": files}

    def _reply_files_delete(self, args: JsonDict) -> JsonDict:
        """As Slack answers: a file deleted before is `file_deleted`, one it never had (or
        lost) `file_not_found`; neither is a violation, the bot must cope with both."""
        file_id = args["file"]
        if file_id in self.deleted_files:
            return {"ok": False, "error": "file_deleted"}
        if self.files.pop(file_id, None) is None:
            return {"ok": False, "error": "file_not_found"}
        self.deleted_files.add(file_id)
        return {"ok": True}

    def lose_file(self, file_id: str) -> None:
        """Slack loses the file (a workspace admin deleted it, a retention policy took it)."""
        with self._lock:
            self.files.pop(file_id, None)

    def _reply_views_open(self, args: JsonDict) -> JsonDict:
        return {"ok": True, "view": self._view(args["view"], self._next_id("V"))}

    _reply_views_push = _reply_views_open

    def _reply_views_update(self, args: JsonDict) -> JsonDict:
        view_id = args.get("view_id") or self._next_id("V")
        return {"ok": True, "view": self._view(args["view"], view_id)}

    def _reply_views_publish(self, args: JsonDict) -> JsonDict:
        return {"ok": True, "view": self._view(args["view"], self._next_id("V"))}

    def _message(self, args: JsonDict) -> JsonDict:
        message: JsonDict = {
            "type": "message",
            "text": args.get("text", ""),
            "user": self.BOT_USER_ID,
            "bot_id": self.BOT_ID,
            "app_id": self.APP_ID,
            "team": self.TEAM_ID,
            "bot_profile": {
                "id": self.BOT_ID,
                "deleted": False,
                "name": "testbot",
                "updated": 1700000000,
                "app_id": self.APP_ID,
                "team_id": self.TEAM_ID,
            },
        }
        if isinstance(args.get("blocks"), list):
            message["blocks"] = _with_block_ids(args["blocks"])
        return message

    def _view(self, submitted: JsonDict, view_id: str) -> JsonDict:
        view: JsonDict = {
            "id": view_id,
            "team_id": self._team_id(),
            "type": submitted.get("type", "modal"),
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "clear_on_close": False,
            "notify_on_close": False,
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": self.APP_ID,
            "app_installed_team_id": self._team_id(),
            "bot_id": self.BOT_ID,
        }
        view |= copy.deepcopy(submitted)
        view["id"] = view_id
        view["blocks"] = _with_block_ids(view["blocks"])
        return view

    def _team_id(self) -> str:
        """The workspace whose bot token made the call; the one workspace's otherwise."""
        return self._caller.team_id if self._caller is not None else self.TEAM_ID

    def _next(self, kind: str) -> int:
        return next(self._counters.setdefault(kind, itertools.count(1)))

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{self._next(prefix):04d}"

    def _next_ts(self) -> str:
        micros = self._next("ts") * 100
        return f"{1700000000 + micros // 1_000_000}.{micros % 1_000_000:06d}"


def _send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]
) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _decode(query: str, body: bytes, headers: dict[str, str]) -> tuple[JsonDict, str | None]:
    """Arguments and token of a request, the way Slack reads them."""
    args: JsonDict = dict(parse_qsl(query, keep_blank_values=True))
    content_type = headers.get("content-type", "application/x-www-form-urlencoded")
    mime = content_type.split(";")[0].strip().lower()
    if mime == "application/json":
        try:
            body_args = json.loads(body or b"{}")
        except ValueError as exc:
            raise _Rejection("invalid_json", f"body is not JSON: {exc}") from None
        if not isinstance(body_args, dict):
            raise _Rejection("invalid_json", "JSON body is not an object")
        # Slack ignores a token inside a JSON body: it must come as the Authorization header.
        body_args.pop("token", None)
        args.update(body_args)
    elif mime == "multipart/form-data":
        args.update(_multipart(body, content_type))
    else:
        args.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    bearer = headers.get("authorization", "")
    token = bearer[len("Bearer ") :].strip() if bearer.startswith("Bearer ") else None
    token = token or args.pop("token", None)
    args.pop("token", None)
    for name in JSON_STRING_ARGS:
        if isinstance(args.get(name), str):
            with contextlib.suppress(ValueError):  # a bad one stays a string, for the validators
                args[name] = json.loads(args[name])
    return args, token


def _multipart(body: bytes, content_type: str) -> JsonDict:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    args: JsonDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        args[str(name)] = payload if part.get_filename() else payload.decode("utf-8")
    return args


def _check_token(method: str, token: str | None) -> None:
    if not token:
        raise _Rejection("not_authed", "no token in the Authorization header or token argument")
    if not token.startswith(TOKEN_PREFIXES):
        raise _Rejection("invalid_auth", f"token {token[:5]!r}... is not xoxb-/xoxp-/xapp-")
    if token.startswith("xapp-") != (method in APP_TOKEN_METHODS):
        kind = "an app-level" if token.startswith("xapp-") else "a bot/user"
        raise _Rejection("not_allowed_token_type", f"{method} does not accept {kind} token")


def _check_message(args: JsonDict) -> None:
    if all(_absent(args.get(k)) for k in ("text", "blocks", "attachments", "markdown_text")):
        raise _Rejection("no_text", "none of text, blocks, attachments, markdown_text")
    if "blocks" in args:
        blocks = args["blocks"]
        if not isinstance(blocks, list):
            raise _Rejection("invalid_blocks_format", "blocks is not a JSON array")
        _raise_if(_block_problems(blocks, "/blocks", MESSAGE_BLOCK_LIMIT), "invalid_blocks")


def _view_problems(method: str, view: JsonDict) -> list[str]:
    expected = "home" if method == "views.publish" else "modal"
    kind = view.get("type")
    problems = []
    if kind != expected and not (method == "views.update" and kind == "home"):
        problems.append(f"type must be {expected!r}, not {kind!r} [json-pointer:/view/type]")
    if kind == "modal":
        for name in ("title", "submit", "close"):
            if name not in view and name != "title":
                continue
            length = len(_text(view.get(name)))
            if not 1 <= length <= limit("modal_text"):
                problems.append(
                    f"{name} text must be 1-{limit('modal_text')} chars, got {length}"
                    f" [json-pointer:/view/{name}]"
                )
        # Slack's modal reference: submit is required when the blocks contain an input block.
        blocks = view.get("blocks", [])
        has_input = isinstance(blocks, list) and any(_type(b) == "input" for b in blocks)
        if has_input and "submit" not in view:
            problems.append("submit is required with input blocks [json-pointer:/view/submit]")
    for name in ("private_metadata", "callback_id"):
        if len(str(view.get(name, ""))) > limit(name):
            problems.append(
                f"{name} must be at most {limit(name)} chars [json-pointer:/view/{name}]"
            )
    return [f"[ERROR] {p}" for p in problems]


def _block_problems(blocks: Any, pointer: str, most: int) -> list[str]:
    if not isinstance(blocks, list):
        return [f"[ERROR] must be an array [json-pointer:{pointer}]"]
    problems: list[tuple[str, str]] = []
    if len(blocks) > most:
        problems.append((f"must be less than {most + 1} items", pointer))
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(("block must be an object with a type", f"{pointer}/{i}"))
        else:
            _walk(block, f"{pointer}/{i}", problems)
    return [f"[ERROR] {what} [json-pointer:{where}]" for what, where in problems]


def _walk(node: Any, pointer: str, problems: list[tuple[str, str]]) -> None:
    def over(length: int, name: str, what: str, where: str) -> None:
        if length > limit(name):
            problems.append((f"{what} must be at most {limit(name)} chars, got {length}", where))

    if isinstance(node, list):
        for i, item in enumerate(node):
            _walk(item, f"{pointer}/{i}", problems)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "section":
        over(len(_text(node.get("text"))), "section_text", "section text", f"{pointer}/text")
        if len(node.get("fields") or []) > limit("fields"):
            problems.append(
                (f"section must have at most {limit('fields')} fields", f"{pointer}/fields")
            )
    elif kind == "button":
        over(len(_text(node.get("text"))), "button_text", "button text", f"{pointer}/text")
        over(len(str(node.get("value", ""))), "button_value", "button value", f"{pointer}/value")
    elif kind in ("static_select", "multi_static_select") and len(
        node.get("options") or []
    ) > limit("options"):
        problems.append(
            (f"select must have at most {limit('options')} options", f"{pointer}/options")
        )
    for i, option in enumerate(node.get("options") or []):
        if isinstance(option, dict):
            where = f"{pointer}/options/{i}"
            over(len(_text(option.get("text"))), "option_text", "option text", f"{where}/text")
            over(
                len(str(option.get("value", ""))), "option_value", "option value", f"{where}/value"
            )
    for key, child in node.items():
        if key != "options" and isinstance(child, (dict, list)):
            _walk(child, f"{pointer}/{key}", problems)


def _raise_if(problems: list[str], error: str) -> None:
    if problems:
        raise _Rejection(error, *problems)


def _with_block_ids(blocks: Any) -> Any:
    if not isinstance(blocks, list):
        return blocks
    return [
        b if not isinstance(b, dict) or "block_id" in b else b | {"block_id": secrets.token_hex(3)}
        for b in copy.deepcopy(blocks)
    ]


def _text(obj: Any) -> str:
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def _type(obj: Any) -> Any:
    return obj.get("type") if isinstance(obj, dict) else None


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == []


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")
