"""Which characters the register stores in text: no control characters (C0, DEL, C1, and the
Unicode line and paragraph separators); multi-line text keeps line feeds and tabs."""

import re

# Everything Unicode calls a control (Cc), and the two separators that break lines.
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(text: str, *, multiline: bool) -> bool:
    """True when the text holds a character the field may not: any control in one-line text;
    any but a line feed or a tab in multi-line text."""
    pattern = _CONTROL_BUT_LINES if multiline else _ANY_CONTROL
    return pattern.search(text) is not None
