"""Logging set-up that keeps secrets and message contents out of the logs.

Besides the token, python-telegram-bot's own records are stripped of what the Bot API sent
or was sent (update objects, request parameters, response bodies: librarians' messages):
at DEBUG it logs every request and answer, and at ERROR the whole body of an answer that is
not JSON. Those records keep their wording with the contents left out, at every level.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from typing import Any

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
        if record.name.startswith("telegram"):
            without_contents(record)
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


# python-telegram-bot's records that carry a body: (template -> how to say it without).
INVALID_JSON = 'Can not load invalid JSON data: "%s"'
_REWORDED = {
    INVALID_JSON: "the Bot API sent an answer that is not JSON (%s bytes, not logged)",
    "Calling Bot API endpoint `%s` with parameters `%s`": "Calling Bot API endpoint `%s`",
    "Call to Bot API endpoint `%s` finished with return value `%s`":
        "Call to Bot API endpoint `%s` finished",
}
SHORT = 64  # characters of a plain string argument that may stay (an endpoint name, an id)


def _bare(arg: Any) -> Any:
    """An argument without contents: numbers and short words stay; an update becomes its
    id; anything structured (dicts, lists, Telegram objects) or long becomes a mark."""
    if isinstance(arg, bool | int | float) or arg is None:
        return arg
    if isinstance(arg, str):
        return arg if len(arg) <= SHORT and "\n" not in arg else f"[{len(arg)} characters]"
    update_id = getattr(arg, "update_id", None)
    if isinstance(update_id, int):
        return update_id
    if isinstance(arg, bytes | Mapping | list | tuple | set):
        return f"[{type(arg).__name__}]"
    return f"[{type(arg).__name__}]"


def without_contents(record: logging.LogRecord) -> None:
    """Strip a python-telegram-bot record of bodies, parameters and update objects."""
    template = record.msg if isinstance(record.msg, str) else str(record.msg)
    args = record.args if isinstance(record.args, tuple) else (
        (record.args,) if record.args else ())
    if template == INVALID_JSON:
        # Not a crash of ours: the poller and the rate limiter wait and try again.
        record.msg, record.args = _REWORDED[template], (len(str(args[0])) if args else 0,)
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text = None, None
        return
    if template in _REWORDED:
        record.msg, record.args = _REWORDED[template], tuple(_bare(a) for a in args[:1])
        return
    record.args = tuple(_bare(a) for a in args) if args else record.args


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
