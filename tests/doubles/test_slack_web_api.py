from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import RemoteDisconnected
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from .slack_web_api import SlackWebApiDouble, response_template, shape_errors

FAST = FixedValueRetryIntervalCalculator(0.01)


@pytest.fixture
def double() -> Iterator[SlackWebApiDouble]:
    with SlackWebApiDouble() as d:
        yield d


@pytest.fixture
def client(double: SlackWebApiDouble) -> WebClient:
    return WebClient(token="xoxb-test", base_url=double.base_url, retry_handlers=[])


def modal(title: str = "Register", blocks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "register",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks or [section("hi")],
    }


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def rejected(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        call()
    return info.value


def test_post_message_is_recorded_and_answered_in_slacks_shape(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    first = client.chat_postMessage(channel="C123", text="hello", blocks=[section("*hi*")])
    second = client.chat_postMessage(channel="C123", text="again")

    assert first["ok"] is True and first["channel"] == "C123"
    assert first["ts"] < second["ts"]
    assert first["message"]["blocks"][0]["text"]["text"] == "*hi*"
    assert first.headers["Content-Type"] == "application/json; charset=utf-8"
    assert shape_errors(first.data, response_template("chat.postMessage")) == []
    [call, _] = double.calls_to("chat.postMessage")
    assert call.args == {"channel": "C123", "text": "hello", "blocks": [section("*hi*")]}
    assert call.headers["authorization"] == "Bearer xoxb-test"
    assert double.violations == []


def test_every_reply_keeps_to_slacks_recorded_shapes(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    double.socket_mode_url = "ws://127.0.0.1:1/link"
    app_client = WebClient(token="xapp-test", base_url=double.base_url)
    replies = {
        "auth.test": client.auth_test(),
        "chat.postEphemeral": client.chat_postEphemeral(channel="C1", user="U1", text="psst"),
        "chat.update": client.chat_update(
            channel="C1", ts="1.2", text="new", blocks=[section("new")]
        ),
        "conversations.open": client.conversations_open(users="U1"),
        "users.info": client.users_info(user="U1"),
        "views.open": client.views_open(trigger_id="1.2.abc", view=modal()),
        "views.push": client.views_push(trigger_id="1.2.abd", view=modal()),
        "views.update": client.views_update(view_id="V9", view=modal()),
        "views.publish": client.views_publish(
            user_id="U1", view={"type": "home", "blocks": [section("home")]}
        ),
        "apps.connections.open": app_client.apps_connections_open(app_token="xapp-test"),
        "files.completeUploadExternal": client.files_upload_v2(channel="C1", content="x"),
    }
    answered = {c.method: c.response for c in double.calls if response_template(c.method)}
    assert answered.keys() == replies.keys() | {"files.getUploadURLExternal"}
    for method, response in answered.items():
        assert shape_errors(response, response_template(method)) == [], method
    assert replies["conversations.open"]["channel"]["id"] == "DU1"
    assert replies["views.update"]["view"]["id"] == "V9"
    assert replies["auth.test"]["bot_id"] == SlackWebApiDouble.BOT_ID
    assert double.violations == []


def test_shape_errors_name_foreign_keys_and_wrong_types() -> None:
    template = response_template("chat.postEphemeral")

    assert shape_errors({"ok": True, "message_ts": 1, "channel": "C1"}, template) == [
        "/channel: not in Slack's shape",
        "/message_ts: int where Slack has str",
    ]


def test_concurrent_calls_are_all_recorded(double: SlackWebApiDouble, client: WebClient) -> None:
    def post(i: int) -> Any:
        return client.chat_postMessage(channel="C1", text=f"message {i}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(post, range(40)))

    assert len({r["ts"] for r in replies}) == 40
    assert len(double.calls_to("chat.postMessage")) == 40


def test_unknown_method(double: SlackWebApiDouble, client: WebClient) -> None:
    error = rejected(lambda: client.api_call("chat.postMessages", json={"channel": "C1"}))

    assert error.response.status_code == 404
    assert error.response["error"] == "unknown_method"
    assert double.violations == [
        "chat.postMessages: unknown_method: Slack has no method 'chat.postMessages'"
    ]


def test_missing_required_argument(double: SlackWebApiDouble, client: WebClient) -> None:
    error = rejected(
        lambda: client.api_call("chat.postEphemeral", json={"channel": "C1", "text": "t"})
    )

    assert error.response["error"] == "invalid_arguments"
    assert double.violations == [
        "chat.postEphemeral: invalid_arguments: missing required arguments: ['user']"
    ]


@pytest.mark.parametrize(
    ("token", "error"),
    [(None, "not_authed"), ("bogus", "invalid_auth"), ("xapp-1", "not_allowed_token_type")],
)
def test_bad_tokens(double: SlackWebApiDouble, token: str | None, error: str) -> None:
    client = WebClient(token=token, base_url=double.base_url, retry_handlers=[])

    assert rejected(lambda: client.auth_test()).response["error"] == error
    assert len(double.violations) == 1


def test_token_may_come_as_form_argument(double: SlackWebApiDouble) -> None:
    client = WebClient(base_url=double.base_url)

    assert client.api_call("auth.test", data={"token": "xoxp-1"})["ok"] is True
    assert "token" not in double.calls[0].args


def test_form_encoded_blocks_and_view_are_parsed(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    client.api_call("chat.postMessage", params={"channel": "C1", "blocks": '[{"type": "divider"}]'})
    client.api_call(
        "views.publish", params={"user_id": "U1", "view": '{"type": "home", "blocks": []}'}
    )

    assert double.calls[0].args["blocks"] == [{"type": "divider"}]
    assert double.calls[0].headers["content-type"] == "application/x-www-form-urlencoded"
    assert double.calls[1].args["view"] == {"type": "home", "blocks": []}
    assert double.violations == []


def test_trigger_id_is_single_use(double: SlackWebApiDouble, client: WebClient) -> None:
    trigger_id = double.issue_trigger_id()
    client.views_open(trigger_id=trigger_id, view=modal())

    error = rejected(lambda: client.views_open(trigger_id=trigger_id, view=modal()))

    assert error.response["error"] == "exchanged_trigger_id"
    assert len(double.violations) == 1


def test_trigger_id_expires_after_three_seconds(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    trigger_id = double.issue_trigger_id(age=3.5)

    error = rejected(lambda: client.views_open(trigger_id=trigger_id, view=modal()))

    assert error.response["error"] == "expired_trigger_id"


def test_too_many_blocks_in_a_message(double: SlackWebApiDouble, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="ok", blocks=[section("x")] * 50)

    error = rejected(
        lambda: client.chat_postMessage(channel="C1", text="t", blocks=[section("x")] * 51)
    )

    assert error.response["error"] == "invalid_blocks"
    assert error.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 51 items [json-pointer:/blocks]"
    ]
    assert len(double.violations) == 1


def test_modal_title_of_25_chars(double: SlackWebApiDouble, client: WebClient) -> None:
    client.views_open(trigger_id="1.1.a", view=modal(title="x" * 24))

    error = rejected(lambda: client.views_open(trigger_id="1.1.b", view=modal(title="x" * 25)))

    assert error.response["error"] == "invalid_arguments"
    assert "title" in error.response["response_metadata"]["messages"][0]
    assert len(double.violations) == 1


@pytest.mark.parametrize(
    "element",
    [
        {"type": "button", "text": {"type": "plain_text", "text": "b" * 76}, "value": "v"},
        {"type": "button", "text": {"type": "plain_text", "text": "b"}, "value": "v" * 2001},
        {
            "type": "static_select",
            "options": [{"text": {"type": "plain_text", "text": "o"}, "value": "v" * 151}],
        },
    ],
)
def test_element_limits(
    double: SlackWebApiDouble, client: WebClient, element: dict[str, Any]
) -> None:
    blocks = [{"type": "actions", "elements": [element]}]

    error = rejected(lambda: client.chat_postMessage(channel="C1", text="t", blocks=blocks))

    assert error.response["error"] == "invalid_blocks"


def test_rate_limit_then_success(double: SlackWebApiDouble, client: WebClient) -> None:
    double.inject("chat.postMessage", status=429, retry_after=1)

    limited = rejected(lambda: client.chat_postMessage(channel="C1", text="hi"))
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True

    first, second = double.calls_to("chat.postMessage")
    assert (first.injected, second.injected) == ("429", None)
    assert first.response == {"ok": False, "error": "ratelimited"}
    # What slack_sdk's RateLimitErrorRetryHandler waits by before it tries again.
    assert limited.response.status_code == 429
    assert limited.response.headers["Retry-After"] == "1"
    assert double.violations == []


def test_server_error_then_success(double: SlackWebApiDouble) -> None:
    handler = ServerErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)
    client = WebClient(token="xoxb-test", base_url=double.base_url, retry_handlers=[handler])
    double.inject("chat.postMessage", status=500)

    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert [c.injected for c in double.calls] == ["500", None]


def test_dropped_connection_then_success(double: SlackWebApiDouble) -> None:
    handler = ConnectionErrorRetryHandler(max_retry_count=1, interval_calculator=FAST)
    client = WebClient(token="xoxb-test", base_url=double.base_url, retry_handlers=[handler])
    double.inject_drop("chat.postMessage")

    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    assert [c.injected for c in double.calls] == ["drop", None]


def test_dropped_connection_reaches_a_client_without_retries(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    double.inject_drop("auth.test")

    with pytest.raises(RemoteDisconnected):
        client.auth_test()


def test_injected_error_code_must_be_documented(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    double.inject("chat.postMessage", status=200, error="channel_not_found")

    assert rejected(lambda: client.chat_postMessage(channel="C1", text="t")).response["error"] == (
        "channel_not_found"
    )
    with pytest.raises(ValueError, match="does not document"):
        double.inject("chat.postMessage", status=200, error="no_such_error")


def test_upload_flow(double: SlackWebApiDouble, client: WebClient) -> None:
    reply = client.files_upload_v2(channel="D123", content="hello", filename="a.txt")

    assert reply["file"]["name"] == "a.txt"
    assert [c.method for c in double.calls] == [
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    [upload] = double.uploads
    assert (upload.content, upload.filename, upload.channel_id) == (b"hello", "a.txt", "D123")
    assert double.violations == []


def test_complete_upload_of_a_file_never_uploaded(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    error = rejected(
        lambda: client.files_completeUploadExternal(files=[{"id": "F9", "title": "x"}])
    )

    assert error.response["error"] == "file_not_found"
    assert double.uploads == []


def test_a_file_is_deleted_once_and_an_unknown_one_is_not_found(
    double: SlackWebApiDouble, client: WebClient
) -> None:
    file_id = client.files_upload_v2(channel="D123", content="hello", filename="a.txt")["file"][
        "id"
    ]
    assert set(double.files) == {file_id}

    assert client.files_delete(file=file_id)["ok"] is True
    again = rejected(lambda: client.files_delete(file=file_id))
    unknown = rejected(lambda: client.files_delete(file="F0UNKNOWN"))

    assert (again.response["error"], unknown.response["error"]) == (
        "file_deleted",
        "file_not_found",
    )
    assert double.files == {} and double.violations == []


def test_reset(double: SlackWebApiDouble, client: WebClient) -> None:
    double.inject("auth.test", status=500, times=3)
    rejected(lambda: client.api_call("nope.nope"))

    double.reset()

    assert (double.calls, double.violations, double.uploads) == ([], [], [])
    assert client.auth_test()["ok"] is True


def test_started_and_stopped_explicitly() -> None:
    double = SlackWebApiDouble().start()
    try:
        assert double.base_url.startswith("http://127.0.0.1:")
        assert double.base_url.endswith("/api/")
    finally:
        double.stop()
    with pytest.raises(RuntimeError):
        _ = double.base_url
