"""The prose of docs/benchmarks.md that does not come from a measurement: what was changed
for speed, how it was measured, and why a missed target is missed (from profiling)."""

from __future__ import annotations

from bench.report import Section

NOTES = [
    "- **Baseline bot.** `bench/echo_bot.py` is python-telegram-bot's plain `Application` with"
    " its own `Updater`: same library version, same API URL, token and poll timeout (20 s,"
    " Veldgids' default), every update type, up to 256 updates in flight (Veldgids:"
    " `PerUserOrder(256)`), the default JobQueue, no storage. It echoes text with"
    " sendMessage and answers a press with answerCallbackQuery plus editMessageText, the"
    " calls Veldgids makes for a checklist tap.",
    "- **Rate limiter.** Off for both bots in section 1: python-telegram-bot's AIORateLimiter"
    " (under Veldgids' `PatientRateLimiter`) lets at most 30 chat-bound calls per second"
    " through, so with it both bots would run at the limiter's pace and the comparison would"
    " say nothing about either. Veldgids runs through `bench/launch.py`, which is"
    " `bot.cli.main([\"run\"])` with `build_application(..., rate_limited=False)`; everything"
    " else is the production code path. The drain of section 4 and the start-up of section 5"
    " run the unmodified `python -m bot.cli run`, limiter on; the memory run has it off (at 30"
    " replies a second it would only make the run longer).",
    "- **Fake server.** `tests/fakebotapi.py` unchanged, wrapped by `bench/fake.py` to time each"
    " call on arrival and with a listen backlog of 1024 (the standard library's 5 drops"
    " connections when a bot opens a hundred at once). Both bots and the server share the"
    " machine's cores; the bench process's own CPU per update is shown in section 1.",
    "- **Librarians** are admitted before the bot starts (rows in `users`, as an invite"
    " would leave), since access is closed by default.",
    "- **Runs.** Sections 1, 2, 3, 4 (tick) and 6: three runs each, start-up three starts of"
    " each bot. To stay near ten minutes on two cores, fewer where a figure hardly"
    " varies or costs most: memory one run per bot, the drain of section 4 one run with and"
    " one without the batch, and 100 rather than 200 queries of each kind on the ten-times"
    " database. Timings are wall-clock on a machine other work shares; see the load"
    " average above.",
    "- **Profiling** (how the notes below were found): `pip install -e '.[bench]'`, then"
    " `py-spy record --nonblocking -o out.svg -- python -m bench.launch --no-rate-limit`"
    " while `python -m bench --only 1` drives it, or cProfile around `Service.handle`.",
    "- No test asserts speed. `tests/bench/test_bench_smoke.py` only checks that"
    " `python -m bench --quick` runs end to end (marked `bench`, not part of `make test`).",
]

CHANGES = [
    "Found by profiling these benchmarks (py-spy on the running bot, cProfile in process);"
    " each is small and keeps the behaviour:",
    "",
    "- **Context on demand** (`bot/service.py`, `dialogs/engine.py`): the features' context"
    " hooks (open conversations and people met, vision, goals, reminder status) used to run"
    " for every event, twice when an effect changed something. Now the core's values are"
    " there from the start and the hooks run the first time a step asks for anything else"
    " (a placeholder, a route's fact, a list of choices). A checklist tap or a live-mode note"
    " never needs them: the step went from about 1,000 µs to about half that.",
    "- **Inbox payloads as received** (`bot/polling.py`): the update is stored as the JSON"
    " Telegram sent instead of re-encoding python-telegram-bot's parsed object"
    " (`to_dict()`), which took about a third as long as handling the update.",
    "- **libyaml for the dialog definitions** (`dialogs/catalog.py`): `CSafeLoader` when"
    " PyYAML has it; loading the definitions went from 0.3 s to 0.03 s of the start-up (and"
    " of every test session).",
    "- **YAKE loaded when first used** (`dialogs/summary.py`): with numpy and networkx it was"
    " a fifth of the start-up, for summaries written at the end of a conversation.",
    "- **sniffio as a dependency** (`pyproject.toml`): httpcore imports it on every request;"
    " since anyio no longer pulls it in, each of those imports failed and searched"
    " `sys.path` again, a sixth of both bots' CPU under load (the echo bot benefits"
    " equally, so the ratios hardly move, but every figure of section 1 does).",
]

# Why a target is missed, from profiling the runs above with py-spy and cProfile (see the
# note at the end of docs/benchmarks.md on how to repeat that).
WHY: dict[str, str] = {
    "throughput": (
        "Both bots spend most of their CPU in python-telegram-bot and httpx rather than in"
        " their own code: with a hundred updates in flight, httpcore's connection pool"
        " re-examines every open connection (a system call each) for every request, and"
        " building, sending and parsing requests dominates both profiles. Veldgids' own work"
        " per update is about a millisecond, less than a fifth of its CPU per update: one"
        " SQLite transaction with the whole step, keeping the update in the inbox and dropping"
        " it, the undelivered-reply note and its removal. The rest of the gap is Bot API calls:"
        " 15 per 10 updates of the mix against the echo bot's 14 (`/gesprek` sends its"
        " introduction and its first question as two messages), each costing the same"
        " library overhead as the echo bot's."),
    "reply latency p99": (
        "With every librarian waiting on the bot, latency is mostly queuing (a hundred"
        " updates in flight divided by the throughput), so it follows the throughput gap;"
        " the moderate-pace rows show the bot's own time per update instead."),
    "checklist tap, Service.handle": (
        "A tap runs 18 SQL statements: the user row is read four times (access gate, service,"
        " effect handler, and again for the reply), and the core context (communities,"
        " checklist, answers) is built twice, before the step and after the tick so that the"
        " header shows the new count; the checklist is rendered twice with seven pydantic"
        " buttons each. Getting under 300 µs needs one user read per event and a count the"
        " engine updates itself instead of a second context."),
    "live-mode note, Service.handle": (
        "A note inserts a transcript row, which the search triggers copy into `search_docs`"
        " and its FTS5 index; FTS5 writes a new index segment at every commit and merges"
        " segments as they pile up, which is most of the time of a note. Loading the user"
        " three times, the state and the core context make up the rest."),
    "start-up: process start to first getUpdates": (
        "Nearly all of it is importing: python-telegram-bot, pydantic, sqlite-utils,"
        " dateparser and the feature modules, then loading and checking the dialog"
        " definitions."),
    "/zoek one word, p95": (
        "The slowest queries are for common words: FTS5 scores every matching note of the"
        " librarian with bm25 before the best eight are taken (the same MATCH without ranking"
        " takes a fraction of a millisecond), and the last word is a prefix query, which merges"
        " the index entries of every word with that prefix, of all librarians, before the"
        " librarian's own notes are picked out."),
    "/zoek three words, p95": "As for one word: bm25 over all matches and the prefix search.",
}
for _name in ("10× librarians: /zoek one word p95", "10× librarians: /zoek three words p95",
              "10× notes per librarian: /zoek one word p95",
              "10× notes per librarian: /zoek three words p95"):
    WHY[_name] = (
        "The work grows with the whole index, not only with the librarian's own notes: the"
        " prefix search and the term lists are walked across all librarians' entries before"
        " the owner filter applies, and every match of the librarian is scored. Remedies, in"
        " storage/talk.py and dialogs/textsearch.py: rank a bounded, recent set of candidates"
        " (or sort newest first), and keep the prefix only for the word being typed when it"
        " is short.")
for _name in ("10× librarians: checklist tap", "10× notes per librarian: checklist tap",
              "10× librarians: live-mode note", "10× notes per librarian: live-mode note"):
    WHY[_name] = (
        "A step does the same statements on a bigger database; what grows is the B-tree"
        " depth of `processed_updates`, `notes` and the search index, and page-cache misses"
        " (SQLite's default cache is 2 MB).")
WHY["select, compose (text) and hand over"] = (
    "About 15 SQL statements and two commits per reminder (the claim commits on its own, then"
    " the outcome in a transaction), and for each reminder `open_reflections` reads the schema"
    " (PRAGMA table_info and sqlite_master) before querying; the progress data for the chart"
    " is read even when no chart is drawn. Claiming and finishing a whole tick's rows in one"
    " transaction and checking the schema once would cut most of it (bot/reminders.py,"
    " storage/goals.py).")


def closing(chosen: list[Section]) -> list[str]:
    figures = [f for s in chosen for f in s.figures if f.target]
    met = [f.name for f in figures if f.met]
    missed = [f for f in figures if f.met is False]
    lines = [f"Met ({len(met)} of {len(figures)}): " + ("; ".join(met) or "none") + "."]
    if missed:
        lines += ["", f"Not met ({len(missed)}):", ""]
        told: set[str] = set()
        for figure in missed:
            why = WHY.get(figure.name) or next(
                (text for key, text in WHY.items() if figure.name.startswith(key)), "")
            if why in told:
                why = "Same cause as the row above."
            told.add(why)
            lines.append(f"- **{figure.name}**: {figure.value.show(figure.fmt)} {figure.unit}"
                         f" against {figure.target}. {why}".rstrip())
    return lines
