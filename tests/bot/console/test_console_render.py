"""Block Kit as console text."""

from bot.console.render import Button, render_blocks, unescape


def test_mrkdwn_is_unescaped_for_display() -> None:
    assert unescape("&lt;!channel&gt; &amp; <@U123> <https://example.fi|site>") == (
        "<!channel> & @U123 site"
    )


def test_sections_fields_context_dividers_headers_and_numbered_buttons() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Request #1"}},
        {
            "type": "section",
            "block_id": "facts",
            "fields": [{"type": "mrkdwn", "text": "*Kind* access"}],
            "accessory": {
                "type": "button",
                "action_id": "open",
                "value": "7",
                "text": {"type": "plain_text", "text": "Open"},
            },
        },
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Filed by <@U1>"}]},
        {
            "type": "actions",
            "block_id": "work",
            "elements": [
                {
                    "type": "button",
                    "action_id": "start",
                    "value": "1",
                    "text": {"type": "plain_text", "text": "Start"},
                }
            ],
        },
    ]
    rendered = render_blocks(blocks)
    assert rendered.lines == [
        "Request #1",
        "==========",
        "  *Kind* access",
        "  [1] Open",
        "-" * 40,
        "  (Filed by @U1)",
        "  [2] Start",
    ]
    assert rendered.buttons == [
        Button(label="Open", action_id="open", block_id="facts", value="7"),
        Button(label="Start", action_id="start", block_id="work", value="1"),
    ]
