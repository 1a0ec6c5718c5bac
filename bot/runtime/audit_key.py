"""The key that seals the audit trail, held outside the database: `AUDIT_CHAIN_KEY`, or else a
key file beside the erasure ledger, created on first use with mode 0600."""

import logging
import os
import secrets
import stat
from pathlib import Path

from bot.runtime.settings import Settings

logger = logging.getLogger(__name__)

MIN_KEY_LENGTH = 32


class ChainKeyError(Exception):
    """The key file cannot serve as the audit trail's key; the message says why."""


def chain_key(settings: Settings) -> bytes:
    if settings.audit_chain_key is not None:
        return settings.audit_chain_key.get_secret_value().encode()
    path = settings.audit_key_path
    logger.warning(
        "AUDIT_CHAIN_KEY is not set: the audit trail is sealed with the key in %s. Keep a copy "
        "of it where the database's backups are not, or set AUDIT_CHAIN_KEY (docs/operations.md: "
        "The audit trail, its key and anchors).",
        path,
    )
    return read_or_create_key_file(path)


def read_or_create_key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create_key_file(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning("The audit chain key file %s can be read by others (mode %o)", path, mode)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise ChainKeyError(
            f"The audit chain key file {path} holds fewer than {MIN_KEY_LENGTH} characters."
        )
    return key.encode()


def _create_key_file(path: Path) -> None:
    """Writes a fresh key beside the final name and links it in, so that two processes starting
    at once both end up with the one that got there first."""
    draft = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32) + "\n")
    try:
        os.link(draft, path)
        logger.warning("Created the audit chain key file %s", path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
