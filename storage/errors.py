"""Typed errors the register raises. Their messages never carry personal data."""


class RegisterError(Exception):
    """A rule of the register refused an act; `code` names which, for translation."""

    code = "register_error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


class NotFound(RegisterError):
    code = "not_found"


class PermissionDenied(RegisterError):
    code = "permission_denied"


class InvalidRequest(RegisterError):
    code = "invalid_request"


class ConsentRequired(InvalidRequest):
    """A relationship on the legal basis of consent, for a person with no consent in force."""

    code = "consent_required"


class LastAdmin(RegisterError):
    """Revoking or demoting the last active admin would lock everyone out."""

    code = "last_admin"


class AuditedRefusal(RegisterError):
    """An act on a person that a rule of the register refused, audited as denied.

    The refusal is audited in the caller's transaction; an edge that rolls that transaction
    back writes it again (storage.audit.record_refusal), so it is never lost.
    """

    def __init__(self, detail: str = "", *, actor: str, action: str, person_id: int) -> None:
        super().__init__(detail)
        self.actor = actor
        self.action = action
        self.person_id = person_id


class RefusedRead(AuditedRefusal, NotFound):
    """A record the viewer may not see (a restricted person), answered as not found."""

    def __init__(self, *, actor: str, action: str, person_id: int) -> None:
        super().__init__("person", actor=actor, action=action, person_id=person_id)


class PersonRestricted(AuditedRefusal):
    """The person's data is restricted (Art 18): only stored, so neither disclosed nor added
    to (a meeting logged) until a controller lifts the restriction."""

    code = "person_restricted"

    def __init__(self, *, actor: str, action: str, person_id: int) -> None:
        super().__init__("restricted", actor=actor, action=action, person_id=person_id)


class ControlCharacters(RegisterError):
    """A text holds control characters (a line break in a one-line field, an escape, NUL);
    the detail names the table and column, never the text."""

    code = "control_characters"


class DatabaseTimeout(RegisterError):
    """A statement ran, or waited for a lock, longer than the database's time limit."""

    code = "database_timeout"


class SearchTooLong(RegisterError):
    """A search text beyond the caps in storage.search."""

    code = "search_too_long"


class BulkWriteRefused(RegisterError):
    """The database refused rows written in bulk (an import); the detail names the table and
    the SQLSTATE, never the rows (the driver's own message quotes them)."""

    code = "bulk_write_refused"
