"""The comparison with the peer (bench/peer_bot.py): section 1's three-way table and
section 8, what each bot loses when it is killed mid-load (bench/kill.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench import kill
from bench.report import Figure, Section
from bench.stats import Runs

if TYPE_CHECKING:
    from bench.fullstack import ThroughputRun
    from bench.sections import Sizes

LABELS = {"echo": "echo bot (floor)", "peer, 60 s": "peer, PicklePersistence every 60 s",
          "peer, 1 s": "peer, PicklePersistence every 1 s", "veldgids": "Veldgids"}


def _runs(values: list[float]) -> Runs:
    return Runs.of([v for v in values if v == v])  # NaN: a run that measured nothing


def three_way(runs: dict[str, list[ThroughputRun]],
              calm: dict[str, list[ThroughputRun]]) -> list[str]:
    lines = [
        "All bots side by side (median of the rounds, min–max in brackets). \"Spread\" is"
        " (max − min) / median of the saturated throughput: two runs agreeing within 10%"
        " means a spread of at most 0.10.",
        "",
        "| bot | throughput, updates/s | p50 ms | p99 ms | bot CPU ms/update |"
        " calm p50 ms | calm p99 ms | spread |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, xs in runs.items():
        tput = _runs([x.throughput for x in xs])
        spread = (tput.high - tput.low) / tput.median if tput.median else float("nan")
        cs = calm[label]
        cells = [
            tput.show("{:.0f}"),
            _runs([x.p50_ms for x in xs]).show("{:.0f}"),
            _runs([x.p99_ms for x in xs]).show("{:.0f}"),
            _runs([x.cpu_ms_per_update for x in xs]).show("{:.2f}"),
            _runs([x.p50_ms for x in cs]).show("{:.0f}"),
            _runs([x.p99_ms for x in cs]).show("{:.0f}"),
            f"{spread:.2f}",
        ]
        lines.append(f"| {LABELS.get(label, label)} | " + " | ".join(cells) + " |")
    return lines


@dataclass(frozen=True)
class Steadiness:
    """Veldgids against the echo bot and the peer, round by round: each round's ratio is
    taken between bots run minutes apart on the same machine, so a busier machine moves
    both sides of it; the targets are judged on the median of these ratios."""

    throughput: Runs  # Veldgids / echo, one per round
    p99: Runs  # Veldgids / echo
    peer: Runs  # Veldgids / peer (1 s)
    figures: list[Figure]
    table: list[str]


def steadiness(ours: list[ThroughputRun], echo: list[ThroughputRun],
               peer: list[ThroughputRun]) -> Steadiness:
    def ratios(get: Callable[[ThroughputRun], float],
               base: list[ThroughputRun]) -> Runs:
        return _runs([get(a) / get(b) for a, b in zip(ours, base, strict=False) if get(b)])

    def spread(runs: Runs) -> float:
        return (runs.high - runs.low) / runs.median if runs.median else float("nan")

    tput = ratios(lambda x: x.throughput, echo)
    p99 = ratios(lambda x: x.p99_ms, echo)
    vs_peer = ratios(lambda x: x.throughput, peer)
    echo_tput = _runs([x.throughput for x in echo])
    rows = [
        "Steadiness of the echo comparison, round by round (each ratio between runs minutes"
        " apart; \"spread\" is (max − min) / median):",
        "",
        "| round | echo updates/s | Veldgids updates/s | throughput ratio | p99 ratio |"
        " ratio to peer (1 s) |",
        "|---|---|---|---|---|---|",
    ]
    for n, (a, b) in enumerate(zip(ours, echo, strict=False)):
        rows.append(f"| {n + 1} | {b.throughput:.0f} | {a.throughput:.0f} |"
                    f" {a.throughput / b.throughput:.2f}× | {a.p99_ms / b.p99_ms:.2f}× |"
                    f" {_at(vs_peer, n)} |")
    ours_tput = _runs([x.throughput for x in ours])
    rows.append(f"| spread | {spread(echo_tput):.2f} | {spread(ours_tput):.2f} |"
                f" {spread(tput):.2f} | {spread(p99):.2f} | {spread(vs_peer):.2f} |")
    why = (f"The echo bot's own throughput spread {spread(echo_tput):.2f} between rounds and"
           f" Veldgids' {spread(ours_tput):.2f}: the machine's load changed within a round"
           " (others' processes on the two cores), which a ratio between runs minutes apart"
           " cannot cancel.")
    halves = [(label, agreement(r)) for label, r in
              (("throughput ratio", tput), ("p99 ratio", p99), ("ratio to peer (1 s)", vs_peer))]
    rows += ["", "The rounds as two runs (the first half of the rounds against the second):"
             " the median ratio of each half, and how far apart they are (|a − b| / median)."
             " This is the figure the 10% target is judged on.", "",
             "| ratio | first half | second half | apart |", "|---|---|---|---|"]
    rows += [f"| {label} | {a:.2f}× | {b:.2f}× | {apart:.3f} |"
             for label, (a, b, apart) in halves]
    # One round per half says little: shown, not judged.
    target = "≤ 0.10 (two runs agree within 10%)" if len(tput.values) >= 4 else ""

    def judged(value: float) -> bool | None:
        return value <= 0.10 if target else None

    figures = [
        Figure(f"echo comparison: two halves of the rounds, {label}",
               Runs.of([apart]), "", target=target, met=judged(apart), fmt="{:.3f}",
               why=f"First half {a:.2f}×, second half {b:.2f}×. " + why)
        for label, (a, b, apart) in halves
    ]
    return Steadiness(tput, p99, vs_peer, figures, rows)


def agreement(ratios: Runs) -> tuple[float, float, float]:
    """The median of the first half of the rounds, of the second half, and how far apart
    they are relative to the median of all: two runs of half the rounds each."""
    values = ratios.values
    half = len(values) // 2
    if not half:
        return float("nan"), float("nan"), float("nan")
    a, b = Runs.of(values[:half]).median, Runs.of(values[half:]).median
    return a, b, abs(a - b) / ratios.median if ratios.median else float("nan")


def _at(runs: Runs, n: int) -> str:
    return f"{runs.values[n]:.2f}×" if n < len(runs.values) else "—"


def sigkill(sizes: Sizes, log: object = print) -> Section:
    """Each bot killed at the same random moments (one per run), restarted, inspected."""
    from bench.sections import BOTS

    totals: dict[str, list[kill.LossRun]] = {}
    for r in range(sizes.kill_runs):
        for label, mode, env in BOTS:
            if mode == "echo":
                continue  # keeps nothing, so it has nothing to lose
            run = kill.loss_run(label, mode, env, sizes.kill_librarians, seed=r + 1,
                                window=sizes.kill_window)
            totals.setdefault(label, []).append(run)
            if callable(log):
                log(f"kill run {r + 1} {label} at {run.killed_after:.1f} s: lost"
                    f" {run.lost_notes}/{run.promised_notes} notes, {run.lost_ticks}"
                    f"/{run.tick_items} ticks, {run.lost_dialogs} conversations;"
                    f" {run.answered_twice} answered twice, {run.unanswered} dropped")
    rows = [
        "| bot | killed after, s | notes lost / confirmed | doubled notes |"
        " checklist items wrong / shown | open conversations forgotten | answered twice |"
        " updates in flight never answered |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, xs in totals.items():
        n = sum(x.librarians for x in xs)
        rows.append(
            f"| {LABELS.get(label, label)} | {', '.join(f'{x.killed_after:.1f}' for x in xs)} |"
            f" {sum(x.lost_notes for x in xs)} / {sum(x.promised_notes for x in xs)} |"
            f" {sum(x.doubled_notes for x in xs)} |"
            f" {sum(x.lost_ticks for x in xs)} / {sum(x.tick_items for x in xs)} |"
            f" {sum(x.lost_dialogs for x in xs)} of {n} |"
            f" {sum(x.answered_twice for x in xs)} | {sum(x.unanswered for x in xs)} |")

    def lost(label: str) -> float:
        return float(sum(x.lost_notes + x.lost_ticks + x.lost_dialogs + x.unanswered
                         + x.doubled_notes for x in totals[label]))

    def twice(label: str) -> float:
        return float(sum(x.answered_twice for x in totals[label]))

    ours, peer = lost("veldgids"), lost("peer, 1 s")
    return Section("8. Killed mid-load (SIGKILL)", [
        Figure("SIGKILL: notes, ticks, conversations or updates lost or doubled",
               Runs.of([ours]), "", Runs.of([peer]), "peer, 1 s", "nothing lost",
               ours == 0, "{:.0f}", ratio=False),
        Figure("SIGKILL: librarians answered twice", Runs.of([twice("veldgids")]), "",
               Runs.of([twice("peer, 1 s")]), "peer, 1 s", fmt="{:.0f}", ratio=False),
    ], before=[
        f"{sizes.kill_librarians} librarians onboard (community, theme, an open"
        " conversation), then take section 1's mix, one update in flight each, until the bot"
        f" gets SIGKILL at a random moment {sizes.kill_window[0]:g}–{sizes.kill_window[1]:g} s"
        " into the load (the same moments for every bot; seeds 1, 2, …). The bot is"
        " restarted on its own files; once it has made no call for 2 s, every librarian"
        " sends `/gesprek`, which a bot that still knows their open conversation answers"
        " with \"staat nog open\"; then a clean stop, and its store is read (Veldgids:"
        " SQLite; the peer: its pickle). **Confirmed** notes and ticks are the ones the"
        " librarian saw answered (a \"Genoteerd\", a reaction, the edited checklist), plus"
        " those in flight when the load stopped that were answered before the kill or by the"
        " restarted bot. **Answered twice**: a librarian who had their answer before the kill"
        " and gets another message after the restart without sending anything. For Veldgids"
        " that is the bot showing where they are (\"my last reply may not have arrived\")"
        " after a kill in the instant between Telegram taking a reply and the bot recording"
        " it as delivered: it cannot tell that case from a reply that never left, and a"
        " librarian whose reply was lost would otherwise wait for one that never comes."
        " **Never answered**: in flight at the kill and silent after the restart, the update"
        " gone. The echo bot keeps nothing and is left out.",
    ], after=rows)
