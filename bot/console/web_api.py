"""An in-process stand-in for Slack's Web API: answers what the bot calls as Slack would and
records each message, view, response and file for the console to show."""

import copy
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from slack_sdk import WebClient

TEAM_ID = "T0CONSOLE"
BOT_USER_ID = "UCONSOLEBOT"
BOT_ID = "BCONSOLE"
APP_ID = "ACONSOLE"
JSON_ARGS = ("blocks", "view", "attachments", "files")
QUIET_METHODS = ("auth.test", "conversations.open", "files.getUploadURLExternal")


@dataclass
class Outgoing:
    """One thing the bot sent: `kind` is the Web API method, or `respond` or `file`."""

    kind: str
    args: dict[str, Any]
    answer: dict[str, Any] = field(default_factory=dict)


class ConsoleSlack:
    """Slack's Web API, its file uploads and the response_urls, on a loopback port. Bolt gives
    each request a client of its own on the app client's base URL, so the stand-in answers
    over HTTP, as Slack does."""

    def __init__(self, *, files_dir: Path) -> None:
        self.files_dir = files_dir
        self._lock = threading.Lock()
        self._outbox: list[Outgoing] = []
        self._pending: dict[str, tuple[str, bytes | None]] = {}
        self._counter = itertools.count(1)
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                content_type = self.headers.get("Content-Type", "")
                status, reply = stand_in.serve(self.path, body, content_type)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def response_url(self) -> str:
        return f"{self.url}/response"

    def start(self) -> "ConsoleSlack":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def record(self, outgoing: Outgoing) -> None:
        with self._lock:
            self._outbox.append(outgoing)

    def take(self) -> list[Outgoing]:
        """What the bot sent since the last call, in order."""
        with self._lock:
            taken, self._outbox = self._outbox, []
        return taken

    def open_view(self, view: dict[str, Any], *, view_id: str | None = None) -> dict[str, Any]:
        """A view the bot gave in an acknowledgement, as Slack holds it once shown."""
        return self._view(view, view_id or self._next_id("V"))

    def serve(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        url = urlsplit(path)
        if url.path == "/response":
            self.record(Outgoing("respond", json.loads(body or b"{}")))
            return 200, b"ok"
        if url.path.startswith("/upload/"):
            file_id = url.path.removeprefix("/upload/")
            with self._lock:
                if file_id not in self._pending:
                    return 404, b"unknown file"
                self._pending[file_id] = (self._pending[file_id][0], body)
            return 200, b"OK"
        if url.path.startswith("/api/"):
            args = _arguments(url.query, body, content_type)
            method = url.path.removeprefix("/api/")
            answer = self._answer(method, args)
            if method not in QUIET_METHODS:
                self.record(Outgoing(method, args, answer))
            return 200, json.dumps(answer).encode()
        return 404, b"not found"

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://console.invalid/",
                "team": "Console",
                "user": "register",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            channel = direct_channel(str(args.get("channel", "")))
            return {"ok": True, "channel": channel, "ts": ts, "message": self._message(args, ts)}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            ts = str(args.get("ts", ""))
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": ts,
                "message": self._message(args, ts),
            }
        if method == "conversations.open":
            users = str(args.get("users", "")).split(",")
            return {"ok": True, "channel": {"id": args.get("channel") or direct_channel(users[0])}}
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            view_id = str(args.get("view_id") or self._next_id("V"))
            return {"ok": True, "view": self._view(args.get("view") or {}, view_id)}
        if method == "files.getUploadURLExternal":
            file_id = self._next_id("F")
            with self._lock:
                self._pending[file_id] = (Path(str(args.get("filename", "file"))).name, None)
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": self._save(args)}
        if method == "files.delete":
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    def _save(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        files, paths = [], []
        for upload in args.get("files") or []:
            with self._lock:
                filename, content = self._pending.pop(upload["id"])
            path = self.files_dir / filename
            path.write_bytes(content or b"")
            paths.append(str(path))
            files.append({"id": upload["id"], "name": filename, "title": upload.get("title")})
        self.record(
            Outgoing(
                "file",
                {
                    "channel": args.get("channel_id"),
                    "initial_comment": args.get("initial_comment"),
                    "paths": paths,
                },
            )
        )
        return files

    def _message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        message = {
            "type": "message",
            "text": args.get("text", ""),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "ts": ts,
        }
        if isinstance(args.get("blocks"), list):
            message["blocks"] = _with_block_ids(args["blocks"])
        return message

    def _view(self, submitted: dict[str, Any], view_id: str) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "state": {"values": {}},
            "clear_on_close": False,
            "notify_on_close": False,
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
        }
        view |= copy.deepcopy(submitted)
        view["id"] = view_id
        view["hash"] = f"{next(self._counter)}.console"
        view["blocks"] = _with_block_ids(view["blocks"])
        return view

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._counter):06d}"

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._counter):06d}"


def direct_channel(channel: str) -> str:
    """A direct message to a user id goes to their direct-message channel, D plus the id."""
    return "D" + channel[1:] if channel.startswith(("U", "W")) else channel


class ConsoleWebClient(WebClient):
    """The bot's Web API client, pointed at the console's stand-in for Slack."""

    def __init__(self, slack: ConsoleSlack) -> None:
        super().__init__(token="xoxb-console", base_url=f"{slack.url}/api/", timeout=10)


def _arguments(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if content_type.startswith("application/json"):
        args.update(json.loads(body or b"{}"))
    else:
        args.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    args.pop("token", None)
    for name in JSON_ARGS:
        if isinstance(args.get(name), str):
            args[name] = json.loads(args[name])
    return args


def _with_block_ids(blocks: list[Any]) -> list[Any]:
    return [
        block | {"block_id": f"b{index}"} if "block_id" not in block else block
        for index, block in enumerate(copy.deepcopy(blocks))
    ]
