"""The audit trail's key lives outside the database: AUDIT_CHAIN_KEY, or a key file beside the
erasure ledger."""

import logging
import stat
from pathlib import Path

import pytest

from bot.runtime.audit_key import ChainKeyError, chain_key
from bot.runtime.settings import Settings, SettingsError, load_settings


def settings(tmp_path: Path, **values: object) -> Settings:
    ledger = tmp_path / "keep" / "erasure-ledger.jsonl"
    return Settings(_env_file=None, erasure_ledger_path=ledger, **values)  # type: ignore[call-arg, arg-type]


def test_without_the_setting_a_key_file_is_made_beside_the_ledger_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    first = chain_key(settings(tmp_path))
    second = chain_key(settings(tmp_path))

    path = tmp_path / "keep" / "audit-chain.key"
    assert first == second and len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "AUDIT_CHAIN_KEY is not set" in caplog.text and str(path) in caplog.text
    assert first.decode() not in caplog.text


def test_the_setting_is_the_key_and_no_file_is_made(tmp_path: Path) -> None:
    key = "a made-up key of at least thirty-two characters"
    assert chain_key(settings(tmp_path, audit_chain_key=key)) == key.encode()
    assert not (tmp_path / "keep" / "audit-chain.key").exists()


def test_a_short_key_stops_start_up_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_CHAIN_KEY", "too short")
    with pytest.raises(SettingsError, match="AUDIT_CHAIN_KEY"):
        load_settings(_env_file=None)


def test_an_empty_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "keep" / "audit-chain.key"
    path.parent.mkdir()
    path.write_text("\n")
    with pytest.raises(ChainKeyError, match="fewer than 32"):
        chain_key(settings(tmp_path))
