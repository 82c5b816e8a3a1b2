"""The `veldgids` command line. Errors are one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from bot.app.registry import load_catalog
from bot.ops.errors import CliError as CliError  # where callers look
from dialogs.catalog import DEFINITIONS
from dialogs.diagram import mermaid
from dialogs.model import DefinitionError
from storage.faults import write_private
from storage.store import StorageError, Store


def _settings():  # noqa: ANN202 - imported late so `--help` works with a broken .env
    from bot.ops.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: "
                             f"{e['msg'].removeprefix('Value error, ')}"
                             for e in exc.errors())
        raise CliError(f"configuration: {problems}") from None


def _service(settings):  # noqa: ANN001, ANN202
    from bot.app.registry import build_service

    service = build_service(settings)
    problems = service.store.quick_check()
    if problems:  # refuse now, instead of answering "try again" to every update
        service.store.close()
        found = " ".join(problems[0].split())[:120]  # one line, however SQLite words it
        raise CliError(f"the database {settings.db} is damaged ({found}); stop here and"
                       " restore the latest backup (see README: Deploying, step 4)")
    return service


def cmd_run(args: argparse.Namespace) -> int:
    """Run the Telegram bot (long polling, or a webhook when VELDGIDS_WEBHOOK_URL is set)."""
    from bot.ops import logsafe
    from bot.ops.listener import ListenError
    from bot.telegram.runner import Refused, run
    from bot.telegram.webhook import WebhookRefused

    settings = _settings()
    token = settings.token()
    if not token:
        raise CliError("TELEGRAM_BOT_TOKEN is not set (see README: Configuration)")
    logsafe.configure(token, settings.log_level)
    how = f"webhook at {settings.webhook_url}" if settings.webhook_url else "long polling"
    print(f"Veldgids: starting the Telegram bot ({how}).", flush=True)
    try:
        run(settings, _service(settings))
    except (ListenError, WebhookRefused, Refused) as exc:
        raise CliError(str(exc)) from None
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """Talk to Veldgids in this terminal: same dialogs, same database."""
    from bot.console.chat import Console

    settings = _settings()
    logging.basicConfig(level=logging.WARNING)
    name = args.user or os.environ.get("USER") or "librarian"
    Console(_service(settings), name, settings.language).loop()
    return 0


def cmd_auto(args: argparse.Namespace) -> int:
    """`make run`: the bot when a token is configured, otherwise the console."""
    settings = _settings()
    if settings.token():
        return cmd_run(args)
    print("Veldgids: no TELEGRAM_BOT_TOKEN set, starting the console chat.", flush=True)
    args.user = None
    return cmd_chat(args)


def cmd_backup(args: argparse.Namespace) -> int:
    """Copy the database consistently, even while the bot runs."""
    settings = _settings()
    if not Path(settings.db).exists():
        raise CliError(f"no database at {settings.db}")
    target = Path(args.file)
    if target.exists():
        raise CliError(f"{target} already exists; choose a new file name")
    store = Store(settings.db)
    try:
        store.backup(target)
    finally:
        store.close()
    print(f"Backup written to {target}")
    return 0


def cmd_restore_check(args: argparse.Namespace) -> int:
    """Open a backup read-only, check it, print counts."""
    from storage.restore import restore_check

    report = restore_check(Path(args.file))
    print(f"Backup {args.file}")
    print("  integrity: " + ("ok" if report.integrity == ["ok"] else
                             f"{len(report.integrity)} problem(s): " + "; ".join(
                                 report.integrity[:5])))
    if report.unknown:
        print(f"  migrations: {len(report.unknown)} unknown to this version (a backup of a "
              f"newer release): {', '.join(report.unknown)}")
    elif report.pending:
        print(f"  migrations: {report.applied} applied, {len(report.pending)} to apply at the "
              f"next start: {', '.join(report.pending)}")
    else:
        print(f"  migrations: all {report.applied} applied")
    print("  rows: " + ", ".join(f"{table} {count}" for table, count in report.counts.items()))
    if not report.ok:
        raise CliError(f"{args.file} failed the restore check; keep the bot on its current "
                       "database and try an older backup")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as 2025-10-01"
                                         ) from None


def cmd_export(args: argparse.Namespace) -> int:
    """Export one librarian's data as Markdown, Word, CSV or JSON."""
    from bot.features.export.feature import cli_export
    from bot.features.export.options import Options
    from storage.export import ExportError

    settings = _settings()
    if not Path(settings.db).exists():
        raise CliError(f"no database at {settings.db}")
    store = Store(settings.db)
    try:
        options = Options(start=args.start, end=args.end, appendix=args.appendix,
                          shareable=args.share)
        name, content = cli_export(store, load_catalog(), args.user, args.format, args.community,
                                   options)
    except ExportError as exc:
        raise CliError(str(exc)) from None
    finally:
        store.close()
    target = Path(args.output or name)
    if target.exists():
        raise CliError(f"{target} already exists; choose a new file name with -o")
    write_private(target, content)  # field notes about real people: owner-only
    print(f"Export written to {target} ({len(content)} bytes)")
    return 0


def cmd_transcribe(args: argparse.Namespace) -> int:
    """Print the transcript of an audio file, or transcribe stored voice notes without one."""
    from bot.features.voice.cli import pending, transcribe_file

    settings = _settings()
    if args.pending == (args.file is not None):
        raise CliError("give an audio FILE or --pending (not both)")
    logging.basicConfig(level=logging.WARNING)
    if args.file is not None:
        print(transcribe_file(Path(args.file), args.language or settings.language,
                              settings.whisper_model))
        return 0
    print(pending(settings))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Load dialog definition files and report the first problem, if any."""
    folder = Path(args.path) if args.path else DEFINITIONS
    catalog = load_catalog(folder)
    steps = sum(len(d.steps) for d in catalog.dialogs.values())
    print(f"OK: {len(catalog.dialogs)} dialogs, {steps} steps, {len(catalog.texts)} texts"
          f" in {folder}")
    return 0


def cmd_diagram(args: argparse.Namespace) -> int:
    """Print a Mermaid state diagram of one dialog (or all)."""
    catalog = load_catalog()
    names = [args.dialog] if args.dialog else sorted(catalog.dialogs)
    for name in names:
        if name not in catalog.dialogs:
            raise CliError(f"no dialog {name!r}; known: {', '.join(sorted(catalog.dialogs))}")
        if len(names) > 1:
            print(f"%% {name}")
        print(mermaid(catalog.dialogs[name], args.lang))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="veldgids",
        description="Veldgids: a field guide for community librarians (Telegram and console).")
    top.set_defaults(func=cmd_auto)
    sub = top.add_subparsers(title="commands", metavar="COMMAND")
    sub.add_parser("run", help=cmd_run.__doc__, description=cmd_run.__doc__).set_defaults(
        func=cmd_run)
    chat = sub.add_parser("chat", help=cmd_chat.__doc__, description=cmd_chat.__doc__)
    chat.add_argument("--user", help="your name in the console (default: $USER)")
    chat.set_defaults(func=cmd_chat)
    backup = sub.add_parser("backup", help=cmd_backup.__doc__, description=cmd_backup.__doc__)
    backup.add_argument("file", help="where to write the copy")
    backup.set_defaults(func=cmd_backup)
    check = sub.add_parser("restore-check", help=cmd_restore_check.__doc__,
                           description=f"{cmd_restore_check.__doc__} Run it on a backup "
                           "before restoring it; nothing in the file is changed.")
    check.add_argument("file", help="the backup (a copy from `veldgids backup` or Litestream)")
    check.set_defaults(func=cmd_restore_check)
    export = sub.add_parser("export", help=cmd_export.__doc__, description=cmd_export.__doc__)
    export.add_argument("--user", required=True, metavar="ID",
                        help="the librarian's Telegram user id, or their console name")
    export.add_argument("--format", required=True, choices=["md", "docx", "csv", "json"])
    export.add_argument("--community", metavar="NAME", help="only this community (default: all)")
    export.add_argument("-o", "--output", metavar="FILE",
                        help="where to write (default: a dated name in this folder)")
    export.add_argument("--from", dest="start", metavar="DATE", type=_day,
                        help="only what happened on or after this day (2025-09-01)")
    export.add_argument("--to", dest="end", metavar="DATE", type=_day,
                        help="only what happened up to and including this day; goals as"
                        " they stood then")
    export.add_argument("--appendix", action="store_true",
                        help="the report ends with every conversation and note")
    export.add_argument("--share", action="store_true",
                        help="to share: names no one, holds no conversations or contact details")
    export.set_defaults(func=cmd_export)
    transcribe = sub.add_parser("transcribe", help=cmd_transcribe.__doc__,
                                description=cmd_transcribe.__doc__)
    transcribe.add_argument("file", nargs="?", help="an audio file (Ogg/Opus, MP3, M4A, WAV …)")
    transcribe.add_argument("--pending", action="store_true",
                            help="transcribe stored voice notes that have no transcript yet")
    transcribe.add_argument("--language", choices=["nl", "en"],
                            help="language spoken in FILE (default: VELDGIDS_LANGUAGE)")
    transcribe.set_defaults(func=cmd_transcribe)
    validate = sub.add_parser("validate-dialogs", help=cmd_validate.__doc__,
                              description=cmd_validate.__doc__)
    validate.add_argument("path", nargs="?", help="folder of definition files (default: built-in)")
    validate.set_defaults(func=cmd_validate)
    diagram = sub.add_parser("diagram", help=cmd_diagram.__doc__, description=cmd_diagram.__doc__)
    diagram.add_argument("dialog", nargs="?", help="dialog id (default: all)")
    diagram.add_argument("--lang", choices=["nl", "en"], default="nl")
    diagram.set_defaults(func=cmd_diagram)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, DefinitionError, StorageError, OSError) as exc:
        print(f"veldgids: error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:  # e.g. the database stayed locked at start-up
        print(f"veldgids: error: database: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
