"""A fake Telegram Bot API server for end-to-end tests and benchmarks (standard library only).

python-telegram-bot, pointed at ``api.base_url`` / ``api.base_file_url``, cannot tell it
from api.telegram.org: same HTTP, same JSON, same limits and error descriptions. Start one
and drive it from the test::

    with FakeBotAPI(token=TOKEN) as api:          # serves on 127.0.0.1, a free port
        ...start the bot with TELEGRAM_API_URL=api.base_url...
        api.send_text(1001, "/start")              # a user writes; an update is queued
        api.wait_for_message(1001, "Welkom")       # waits (with a deadline) for the reply
        api.press_button(1001, "Opslaan")          # presses an inline button by its label

The public interface, everything a test or benchmark imports from ``tests.fakebotapi``:

`FakeBotAPI(token, *, port=0, host="127.0.0.1", callback_ttl=None, backlog=5)`
    Lifecycle: ``start()`` / ``stop()`` (state is kept; start again re-binds the same port),
    or ``with``; ``url``, ``base_url``, ``base_file_url``, ``running``, ``port``, ``token``.

    Simulated users (users.py): ``add_user``, ``add_private_chat``, ``send_text``,
    ``send_photo``, ``send_voice``, ``send_document``, ``send_sticker``, ``send_location``,
    ``edit_text``, ``press`` (by callback data), ``press_button`` (by exact label),
    ``press_label`` (label contains; None if no button), ``press_newest`` (any data on the
    newest bot message), ``send_update`` (a raw update; ``new_message_id`` gives it a fresh
    message id), ``redeliver`` (the same update
    again), ``register_file``, ``fail_file``, ``serve_like_local_server`` (getFile serves
    any size, as a local Bot API server does), ``served(file_id)`` (bytes sent of a file;
    ``send_document(..., size=, body=)`` reports a size and serves a long streamed body).

    Observation (observe.py): ``calls`` / ``calls_to(method)``, ``message``,
    ``bot_messages``, ``last_bot_message``, ``commands`` / ``commands_for``,
    ``pending_updates``, and the lists ``errors``, ``internal_errors``, ``reactions``,
    ``uploads``, ``callback_answers``, ``deleted``, ``queued``, ``bot_user``.

    Waiting (never sleep in a test; wait for what you expect, or count): ``wait_for``
    (a predicate), ``wait_for_message``, ``wait_for_call``, ``wait_until_confirmed``,
    ``wait_for_more(count, n)`` (a counted wait: until count() has grown by n). Timeouts
    fail with ``dump()``, the latest calls and errors.

    Webhooks (webhook.py): after the bot's ``setWebhook``, updates are POSTed to it instead
    of waiting for getUpdates; ``route_webhook(public_host, listen_address)`` says where the
    public URL's host really listens; ``webhooks.deliveries`` lists each try's outcome.

    Faults (faults.py): ``inject`` (an error for the next calls of a method, 429 with
    retry_after by default), ``inject_delay``, ``block_user`` / ``unblock_user`` (403),
    ``flood_chat`` (Telegram's per-chat flood control: 429 for one chat only; groups always
    get 429 past 20 messages a minute), ``set_handler`` (serve an extra method).

    Groups: ``add_to_group`` (a my_chat_member update), ``send_text(..., chat_type="group",
    chat_id=-...)``; after the bot's ``leaveChat`` (``left_chats``) nothing from that chat
    reaches it but the my_chat_member update saying it left, and calls to it get 403.

    For in-process transports and subclasses: ``handle(token, method, params, alive)``
    answers one request, ``download(token, path)`` one file; a subclass may override
    ``handle`` to watch every call (bench/fake.py does).

Telegram's behaviour, for assertions: `ApiError`, `Call`, `Upload`, the error descriptions
`NOT_MODIFIED`, `QUERY_TOO_OLD`, `CONFLICT`, `STATUS_TEXT`, the limits `MAX_TEXT`,
`MAX_CAPTION`, `MAX_CALLBACK_DATA`, `MAX_CALLBACK_ANSWER`, `MAX_COMMANDS`, `MAX_DOWNLOAD`,
`REACTION_EMOJI`, `CHAT_ACTIONS`, `BOT_USERNAME`, and `parse_formatted`,
`command_entities`, `image_size`, `utf16_len`.

Modules, one concern each: api.py (FakeBotAPI), server.py (HTTP routing and decoding),
state.py (chats, messages, updates), methods.py (the Bot API methods), limits.py and
errors.py (what Telegram refuses, and how), formatting.py (HTML/Markdown entities),
files.py, faults.py, webhook.py, users.py and observe.py (the test-side API).
"""

from tests.fakebotapi.api import FakeBotAPI
from tests.fakebotapi.errors import CONFLICT, NOT_MODIFIED, QUERY_TOO_OLD, STATUS_TEXT, ApiError
from tests.fakebotapi.files import Upload, image_size
from tests.fakebotapi.formatting import command_entities, parse_formatted, utf16_len
from tests.fakebotapi.limits import (
    CHAT_ACTIONS,
    MAX_CALLBACK_ANSWER,
    MAX_CALLBACK_DATA,
    MAX_CAPTION,
    MAX_COMMANDS,
    MAX_DOWNLOAD,
    MAX_TEXT,
    REACTION_EMOJI,
)
from tests.fakebotapi.state import BOT_USERNAME, Call

__all__ = [
    "BOT_USERNAME", "CHAT_ACTIONS", "CONFLICT", "MAX_CALLBACK_ANSWER", "MAX_CALLBACK_DATA",
    "MAX_CAPTION", "MAX_COMMANDS", "MAX_DOWNLOAD", "MAX_TEXT", "NOT_MODIFIED", "QUERY_TOO_OLD",
    "REACTION_EMOJI", "STATUS_TEXT", "ApiError", "Call", "FakeBotAPI", "Upload",
    "command_entities", "image_size", "parse_formatted", "utf16_len",
]
