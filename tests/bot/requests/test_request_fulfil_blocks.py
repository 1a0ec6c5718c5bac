from datetime import UTC, datetime

from bot.requests.recipients import recipients_text
from bot.slack.i18n import translator
from storage.models.enums import RecipientKind
from storage.requests import RecipientView


def test_recipients_are_escaped_and_dated_in_the_readers_language() -> None:
    recipient = RecipientView(
        recipient="<!channel> Rahoitus Oy",
        recipient_kind=RecipientKind.FINANCIER,
        categories=("name", "email"),
        last_disclosed_at=datetime(2026, 3, 3, 8, tzinfo=UTC),
    )
    text = recipients_text([recipient], translator("fi"))
    assert "<!channel>" not in text
    assert "&lt;!channel&gt; Rahoitus Oy" in text
    assert "3.3.2026" in text
    assert "19 artikla" in text


def test_no_recipients_says_so() -> None:
    assert "nobody else" in recipients_text([], translator("en"))
