"""Text that goes into Slack messages: escaping what people typed."""


def mrkdwn_escape(text: str) -> str:
    """Slack's three control characters, so `<!channel>` is shown, never acted on."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
