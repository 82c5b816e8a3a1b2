"""The prose of docs/benchmarks.md that does not come from a measurement: what was changed
for speed, how it was measured, and why a missed target is missed (from profiling)."""

from __future__ import annotations

from bench.report import Section

NOTES = [
    "- **Baseline bot.** `bench/echo_bot.py` is python-telegram-bot's plain `Application` with"
    " its own `Updater`: same library version, same API URL, token and poll timeout (20 s,"
    " Veldgids' default), every update type, up to 256 updates in flight (Veldgids:"
    " `PerUserOrder(256)`), the default JobQueue, Veldgids' HTTP transport"
    " (`bot/telegram/transport.py`: 8 connections, further requests queued in asyncio, for its"
    " calls"
    " and for getUpdates), no storage. It echoes text with"
    " sendMessage and answers a press with answerCallbackQuery plus editMessageText, the"
    " calls Veldgids makes for a checklist tap.",
    "- **Peer bot.** `bench/peer_bot.py` is the same checklist-and-notes job written the way"
    " python-telegram-bot's examples (conversationbot.py, persistentconversationbot.py) write"
    " it: one persistent `ConversationHandler` (onboarding, phase menu, checklist whose taps"
    " edit the message, an open conversation taking free-text notes), everything in"
    " `user_data`, saved by `PicklePersistence`. It runs twice: with the library's default"
    " `update_interval` of 60 s and with 1 s (the Application accepts any positive number;"
    " below a second it would re-pickle every librarian's data all the time). Settings as the"
    " echo bot's (no rate limiter, same poll timeout, the same HTTP transport) but one update"
    " at a time, the"
    " library's default and its examples': with 256 in flight, as the echo bot, a"
    " librarian's next message can reach the `ConversationHandler` before the previous"
    " handler has returned its new state, and under load answers landed in the wrong step."
    " Its answers"
    " carry the words the load driver waits for in Veldgids' answers, so one script drives"
    " both; it makes the same Bot API calls per update as Veldgids for this mix.",
    "- **Rate limiter.** Off for all bots in section 1: Veldgids' `PatientRateLimiter`"
    " (`bot/telegram/ratelimit.py`) lets at most 30 calls per second"
    " through, so with it both bots would run at the limiter's pace and the comparison would"
    " say nothing about either. Veldgids runs through `bench/launch.py`, which is"
    " `bot.ops.cli.main([\"run\"])` with `build_application(..., rate_limited=False)`; everything"
    " else is the production code path. The drain of section 4 and the start-up of section 5"
    " run the unmodified `python -m bot.ops.cli run`, limiter on; the memory run has it off (at 30"
    " replies a second it would only make the run longer).",
    "- **Fake server.** `tests/fakebotapi/` unchanged, wrapped by `bench/fake.py` to time each"
    " call on arrival and with a listen backlog of 1024 (the standard library's 5 drops"
    " connections when a bot opens a hundred at once). Both bots and the server share the"
    " machine's cores; the bench process's own CPU per update is shown in section 1.",
    "- **Librarians** are admitted before the bot starts (rows in `users`, as an invite"
    " would leave), since access is closed by default.",
    "- **Runs.** Section 1: six rounds of 2,000 updates per bot (many short rounds rather"
    " than three of 3,000, so the median steps over a busy moment), the calm runs in the first"
    " three; its two halves of three rounds each stand for two runs, and the 10% target is"
    " judged on their median ratios agreeing. Sections 2, 3, 4 (tick) and 6: three runs each,"
    " start-up three starts of"
    " each bot (the peer saving every 60 s one round: it measures like the echo bot). To"
    " stay under fifteen minutes on two cores, fewer where a figure hardly"
    " varies or costs most: sections 8 and 9 one run each, memory one run per bot, the"
    " drain of section 4 one run with and one without the batch, and 100 rather than 200"
    " queries of each kind on the ten-times"
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
    "- **Only the context a step needs** (`bot/app/context.py`, `dialogs/needs.py`): the"
    " features' context (open conversations and people met, vision, goals, reminder status)"
    " used to be read for every event, twice when an effect changed something. Now each step"
    " knows when the definitions load which facts, values and choices an event there may"
    " need, and only the providers of those are asked. A checklist tap or a live-mode note"
    " needs none of the features': the step went from about 1,000 µs to about half that.",
    "- **Inbox payloads as received** (`bot/telegram/polling.py`): the update is stored as the JSON"
    " Telegram sent instead of re-encoding python-telegram-bot's parsed object"
    " (`to_dict()`), which took about a third as long as handling the update.",
    "- **libyaml for the dialog definitions** (`dialogs/catalog.py`): `CSafeLoader` when"
    " PyYAML has it; loading the definitions went from 0.3 s to 0.03 s of the start-up (and"
    " of every test session).",
    "- **YAKE loaded when first used** (`dialogs/rules/summary/themes.py`): with numpy and"
    " networkx it"
    " was a fifth of the start-up, for summaries written at the end of a conversation.",
    "- **sniffio as a dependency** (`pyproject.toml`): httpcore imports it on every request;"
    " since anyio no longer pulls it in, each of those imports failed and searched"
    " `sys.path` again, a sixth of both bots' CPU under load (the echo bot benefits"
    " equally, so the ratios hardly move, but every figure of section 1 does).",
    "",
    "Then, to meet the targets the first full run missed:",
    "",
    "- **One user read and a context read on demand** (`storage/store.py`, `bot/app/service.py`,"
    " `dialogs/engine.py`): users read in a transaction are remembered until the connection"
    " writes anything (`total_changes`) or a savepoint rolls back; communities, ticks and"
    " answers are read only when a step asks for them; the engine counts a checklist's"
    " progress from the ticks as the step leaves them, so a tap needs no second context and"
    " render. A tap went from 18 SQL statements to 10.",
    "- **Search index in batches** (`storage/talk.py`): new notes go on a `search_pending`"
    " list and join the FTS5 index before the next search or every 5 s, instead of writing"
    " an index segment in the librarian's own transaction (a third of a live-mode note).",
    "- **Search keyed by community** (`storage/search.py`, `search/terms.py`): index"
    " terms carry the community's key (`c12xkoffie`; a librarian's own for notes outside"
    " any), so a query, its prefix and bm25's statistics read only that librarian's"
    " entries; bm25 ranks the newest 200 matches; joins and snippets only for the eight"
    " shown.",
    "- **Reminders in batches** (`bot/features/goals/reminders.py`, `storage/goals.py`): one"
    " `UPDATE … RETURNING` claims 50 rows, five `IN (…)` queries read what they need,"
    " outcomes are committed together (at most 50 ms apart), chart data is read when the"
    " chart is drawn; a run keeps taking batches until nothing is due, so the rate limiter"
    " rather than the tick interval sets the delivery pace.",
    "- **One message per step** (`dialogs/replies.py`): a message step's text goes above the"
    " step after it instead of as a message of its own, so `/gesprek` makes one Bot API call"
    " instead of two and the mix as many calls as the echo bot's.",
    "",
    "Then, for the peer comparison and heavy work (issue 18):",
    "",
    "- **Eight connections to the Bot API** (`bot/telegram/transport.py`): with"
    " python-telegram-bot's"
    " 256, httpcore re-examined every open connection and every waiting request for each"
    " request, 31% of the bot's samples in the saturated run (`python -m bench.profile`);"
    " with 8 connections and the requests beyond them waiting in an asyncio semaphore, 7%,"
    " and the run's samples for the same 3,000 updates went from 5,607 to 2,648. The echo"
    " bot and the peer now run with the same transport: with the library's pool the echo"
    " bot's own throughput swung by a third between rounds, and the floor was slower than it"
    " need be, which flattered the ratios to it.",
    "- **One write transaction less per update** (`bot/telegram/handlers.py`): the step's"
    " transaction already deletes the update's inbox row (`Store.mark_processed`); the"
    " front end's last handler deleted it again in a transaction of its own, and now does"
    " so only for updates no step marked handled (failed, refused, cut short by a stop).",
    "- **Heavy work in its own process** (`bot/ops/offload.py`): Word, Markdown and CSV exports"
    " and charts are rendered by one worker process at nice 10 instead of a thread of the"
    " bot, whose interpreter lock python-docx and matplotlib held for seconds; an export's"
    " notes are read there too (`bot/features/export/job.py`: 70–220 ms for 5,000 notes on the"
    " event loop before).",
    "- **Weekly charts kept** (`storage/charts.py`): a chart whose inputs (progress, goal,"
    " language, chart code) did not change since it was last drawn is sent as drawn then.",
    "- **Replies before the weekly batch** (`bot/telegram/pace.py`): a weekly message waits until"
    " fewer than 24 messages went out in the last second and takes at most 20 a second;"
    " replies never wait there.",
    "- **Replies without reading Telegram's answer** (`bot/telegram/sending.py`, `post`): replies,"
    " edits and the live-mode reaction go through python-telegram-bot's own request path"
    " (its defaults, the rate limiter, its errors), with the keyboard as plain JSON and"
    " the answer left unparsed. cProfile of both bots over the same load showed the library"
    " building an object per button and parsing every returned message with its keyboard,"
    " answers the bot never reads; the bot's CPU per update fell from 3.03 to 2.62 ms in"
    " an A/B run of section 1's load.",
    "- **Each update checked once** (`bot/app/service.py`, `Service.handle`): the front"
    " end's transaction no longer looks the update up twice as a duplicate nor opens a"
    " savepoint inside itself (three statements fewer per update).",
    "- **Transcription on idle time** (`bot/features/voice/worker.py`): every thread of the voice"
    " worker runs under Linux's SCHED_IDLE policy, numpy's BLAS thread included, which"
    " stayed at normal priority before (nice 10 applied to the main thread only).",
]

# Why a target is missed, from profiling the runs above with py-spy and cProfile (see the
# note at the end of docs/benchmarks.md on how to repeat that).
WHY: dict[str, str] = {
    "throughput": (
        "Profiled with cProfile over the same load for both bots (and `python -m"
        " bench.profile --bot echo|veldgids`, py-spy): most of Veldgids' CPU is"
        " python-telegram-bot, httpx and asyncio making the same calls as the echo bot. Its"
        " own code (storage, SQLite, the engine, the bot layer) is about an eighth: per"
        " update about 21 SQL statements in a write transaction with the step, the inbox row"
        " and the undelivered-reply note, a second transaction clearing that note once the"
        " reply is out (a crash in between must not resend a reply that arrived), one per"
        " getUpdates batch for the inbox, and the context and keyboard for the reply. Its"
        " replies also carry keyboards, which the library url-encodes and the fake server"
        " parses and checks (the bench process's CPU per update is higher for Veldgids too)."
        " At 0.8× the echo bot Veldgids could spend at most 1.25× its CPU per update, less"
        " than its own durable work adds on top of the same library calls."),
    "reply latency p99": (
        "With every librarian waiting on the bot, latency is mostly queuing (a hundred"
        " updates in flight divided by the throughput), so it follows the throughput gap;"
        " the moderate-pace rows show the bot's own time per update instead."),
    "checklist tap, Service.handle": (
        "A tap runs 10 SQL statements and a commit (duplicate check, user, dialog state,"
        " communities, ticks, the tick itself, the new state, the processed mark, the inbox)"
        " and renders seven buttons; the commit and the statements are about half of it."),
    "live-mode note, Service.handle": (
        "A note inserts a transcript row, which triggers copy into `search_docs` and its"
        " pending list; the commit writes those pages, the dialog state and the processed"
        " mark. That is most of the time; loading the state and the engine step the rest."),
    "start-up: process start to first getUpdates": (
        "Nearly all of it is importing: python-telegram-bot, pydantic, sqlite-utils,"
        " dateparser and the feature modules, then loading and checking the dialog"
        " definitions."),
    "/zoek one word, p95": (
        "The slowest queries are the first after the step runs, which index the notes still"
        " waiting (a couple of thousand), and common words, whose newest 200 matches are"
        " scored."),
    "/zoek three words, p95": "As for one word.",
}
for _name in ("10× librarians: /zoek one word p95", "10× librarians: /zoek three words p95",
              "10× notes per librarian: /zoek one word p95",
              "10× notes per librarian: /zoek three words p95"):
    WHY[_name] = (
        "Other librarians' notes no longer cost anything (the terms are keyed by community), but a"
        " librarian's own word lists are ten times longer for the heavy writers: combining"
        " three words walks them, and finding the newest 200 matches of a common word reads"
        " further back. The base figure is small (a few milliseconds), so a fixed cost of a"
        " millisecond or two already shows as a large ratio.")
for _name in ("10× librarians: checklist tap", "10× notes per librarian: checklist tap",
              "10× librarians: live-mode note", "10× notes per librarian: live-mode note"):
    WHY[_name] = (
        "A step does the same statements on a bigger database; what grows is the B-tree"
        " depth of `processed_updates`, `notes` and the search tables, and page-cache misses"
        " (SQLite's default cache is 2 MB).")
WHY["throughput against the peer at its shortest interval"] = (
    "From the CPU per update in the three-way table: the peer takes one update at a time"
    " (the library's default) and keeps everything in memory, pickling it once a second,"
    " where Veldgids answers librarians side by side and commits every update to SQLite"
    " before answering (inbox, step, processed mark): section 8 shows what that buys.")
WHY["SIGKILL: notes, ticks, conversations or updates lost or doubled"] = (
    "See the counts per kind in section 8.")
WHY["others' reply p99 during Word exports"] = (
    "The export is read and rendered in the heavy-work process (`bot/features/export/job.py`, nice"
    " 10), but that process still shares the two cores with the bot and the bench's fake"
    " server, and the finished file (hundreds of kB) is uploaded from the bot's event loop.")
WHY["others' reply p99 while weekly reminders"] = (
    "Charts are drawn in the heavy-work process and reminders only take what replies leave"
    " of Telegram's pace (`bot/telegram/pace.py`); what remains on the event loop is composing each"
    " reminder (a few queries) and uploading its chart.")
WHY["another librarian's reply"] = (
    "The worker runs under SCHED_IDLE, so a waking bot takes the core at once, but the two"
    " cores share their cache and memory bandwidth: a Python loop over a large dict ran 19 %"
    " slower with a numpy matrix product on the other core, itself under SCHED_IDLE"
    " (`taskset`, `chrt -i 0`). The bench's fake server and its polling librarian are a"
    " third busy process. At 4 ms a reply, 3 ms more shows as 1.7×; the p95 does not move.")
WHY["select, compose (text) and hand over"] = (
    "About half of the remaining time is composing the text (goal lines, pace, the phase's"
    " open items) and building the reply's pydantic models; the rest is the batched reads"
    " and the grouped commits.")


def closing(chosen: list[Section]) -> list[str]:
    figures = [f for s in chosen for f in s.figures if f.target]
    met = [f.name for f in figures if f.met]
    missed = [f for f in figures if f.met is False]
    lines = [f"Met ({len(met)} of {len(figures)}): " + ("; ".join(met) or "none") + "."]
    if missed:
        lines += ["", f"Not met ({len(missed)}):", ""]
        told: set[str] = set()
        for figure in missed:
            why = figure.why or WHY.get(figure.name) or next(
                (text for key, text in WHY.items() if figure.name.startswith(key)), "")
            if why in told:
                why = "Same cause as the row above."
            told.add(why)
            lines.append(f"- **{figure.name}**: {figure.value.show(figure.fmt)} {figure.unit}"
                         f" against {figure.target}. {why}".rstrip())
    return lines
