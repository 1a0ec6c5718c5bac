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


class LastAdmin(RegisterError):
    """Revoking or demoting the last active admin would lock everyone out."""

    code = "last_admin"
