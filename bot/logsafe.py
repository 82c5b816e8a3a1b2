"""Logging set-up that keeps secrets and message contents out of the logs."""

from __future__ import annotations

import logging
import re
import traceback

# Anything shaped like a bot token: digits, a colon, and a long secret part.
TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
REDACTED = "[token]"


class RedactTokens(logging.Filter):
    """Replaces the configured token, and anything token-shaped, in every record."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token
        self.others: list[str] = []  # more secrets (see `hide`)

    def redact(self, text: str) -> str:
        if self.token:
            text = text.replace(self.token, REDACTED)
        for secret in self.others:
            text = text.replace(secret, "[secret]")
        return TOKEN_SHAPE.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info:
            # Render the traceback now, redacted, so the token in an exception text never leaks.
            formatted = logging.Formatter().formatException(record.exc_info)
            record.msg = f"{record.msg}\n{self.redact(formatted)}"
            record.exc_info = None
            record.exc_text = None
        return True


def configure(token: str | None, level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def hide(secret: str) -> None:
    """Keep one more secret (the webhook's secret token) out of every log line."""
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, RedactTokens):
                found.others.append(secret)


def error_summary(error: BaseException | None) -> str:
    """The exception's type and where it was raised, without its message (which may quote
    what the user typed): for ERROR lines about an update."""
    if error is None:
        return "unknown error"
    frames = traceback.extract_tb(error.__traceback__)
    where = " <- ".join(f"{f.name} ({f.filename.rsplit('/', 1)[-1]}:{f.lineno})"
                        for f in reversed(frames[-4:]))
    return f"{type(error).__name__} in {where}" if where else type(error).__name__
