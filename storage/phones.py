"""Phone numbers as the register keeps them: E.164, Finland the default region."""

import phonenumbers

DEFAULT_REGION = "FI"
# A person's numbers at most, so that the form can always show them all. A number shown for
# reading has at most 15 digits, its trunk prefix and a separator after each.
MAX_PHONE_NUMBERS = 20
DISPLAY_MAX_LENGTH = 32


def to_e164(text: str) -> str | None:
    """`040 123 4567`, `+358 40 1234567`, `00358401234567` → `+358401234567`; None if not a
    possible number."""
    cleaned = text.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """A query made of digits and phone punctuation only, with at least five digits."""
    digits = sum(character.isdigit() for character in text)
    allowed = set("0123456789 +-()./")
    return digits >= 5 and all(character in allowed for character in text.strip())


def for_display(e164: str) -> str:
    number = phonenumbers.parse(e164, DEFAULT_REGION)
    if number.country_code == phonenumbers.country_code_for_region(DEFAULT_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
