"""Logs never show the bot token, even inside exception texts or DEBUG request URLs."""

from __future__ import annotations

import logging

import pytest

from bot.ops.logsafe import RedactTokens, configure

TOKEN = "7350981234:AAHk3-t0ken_SECRET_part_abcdefghijk"


def test_configured_and_token_shaped_strings_are_redacted(
        capsys: pytest.CaptureFixture[str]) -> None:
    configure(TOKEN, "DEBUG")
    log = logging.getLogger("veldgids.test")
    log.debug("GET https://api.telegram.org/bot%s/getMe", TOKEN)
    log.info("other token 123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ012 seen")
    try:
        raise ValueError(f"Invalid token {TOKEN}")
    except ValueError:
        log.exception("failed")
    err = capsys.readouterr().err
    assert TOKEN not in err and "SECRET" not in err and "ABCDEFGHIJKLMNOP" not in err
    assert err.count("[token]") >= 3 and "Traceback" in err


def test_httpx_is_quiet_at_info() -> None:
    configure(TOKEN, "INFO")
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING


def test_filter_keeps_plain_messages() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "update %s of user %s", (5, 9),
                               None)
    RedactTokens(TOKEN).filter(record)
    assert record.getMessage() == "update 5 of user 9"
