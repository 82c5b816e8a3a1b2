"""/export's one message of choices: the period, the appendix, who it is for, then the format.

Every button carries the whole choice, so a tap needs no stored state and an old message still
does what it says: `ex:o:<scope>:<period>:<flags>` shows the message with a choice changed
(edited in place), `ex:f:<scope>:<fmt>:<period>:<flags>` makes the file, `ex:p:<scope>:<flags>`
asks for two dates. <period> is q (this quarter), y (this year), all (since the start) or a
typed "yyyymmdd-yyyymmdd"; <flags> is two digits, appendix and shareable. At most 41 bytes
with a community id of ten digits, well within Telegram's 64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from bot.features.export.options import Options
from dialogs.replies import Button, Reply
from dialogs.rules.dates import day_month_year, month_name
from dialogs.rules.period import PRESETS, Period, decode, preset

EXPORT = "ex"
FORMAT_LABELS = {"md": "📝 Markdown (.md)", "docx": "📄 Word (.docx)", "csv": "📊 CSV (Excel)",
                 "json": "🧩 JSON"}
# Asked in this order: Word first, as most librarians read and share a report that way.
ASKED = ("docx", "md", "csv", "json")
T = Callable[..., str]


@dataclass(frozen=True)
class Choice:
    period: str = "all"
    appendix: bool = False
    shareable: bool = False

    @property
    def flags(self) -> str:
        return f"{int(self.appendix)}{int(self.shareable)}"

    def data(self) -> str:
        return f"{self.period}:{self.flags}"


DEFAULT = Choice()


def read(period: str, flags: str) -> Choice | None:
    """The choice a button carries, or None when it holds something no button of ours does."""
    if flags not in ("00", "01", "10", "11") or (period not in PRESETS and decode(period) is None):
        return None
    return Choice(period, flags[0] == "1", flags[1] == "1")


def span(choice: Choice, today: date) -> Period:
    """The days it covers; this quarter and this year as of `today`, her local day."""
    return preset(choice.period, today) or decode(choice.period) or Period(None, None)


def options(choice: Choice, today: date) -> Options:
    period = span(choice, today)
    return Options(start=period.start, end=period.end, appendix=choice.appendix,
                   shareable=choice.shareable)


def period_words(choice: Choice, today: date, t: T, lang: str) -> str:
    """"dit kwartaal (sinds 1 oktober 2026)", "1 september tot en met 30 november 2026"."""
    period = span(choice, today)
    if period.start is None:
        return t("export_period_all")
    start = day_month_year(period.start, lang)
    if choice.period in ("q", "y"):
        return t(f"export_period_{choice.period}", start=start)
    if period.end is None:
        return t("export_period_since", start=start)
    if period.start.year == period.end.year:  # "1 september tot en met 30 november 2025"
        start = f"{period.start.day} {month_name(period.start.month, lang)}"
    return t("export_period_between", start=start, end=day_month_year(period.end, lang))


def _picked(label: str, on: bool) -> str:
    return f"✓ {label}" if on else label


def message(scope: str, choice: Choice, today: date, t: T, lang: str, *, edit: bool) -> Reply:
    """The choices as they stand, the format buttons last: one tap on a format is the file."""
    text = t("export_choices", period=period_words(choice, today, t, lang),
             appendix=t("export_appendix_yes" if choice.appendix else "export_appendix_no"),
             audience=t("export_shareable" if choice.shareable else "export_internal"))
    text += "\n\n" + t("export_ask_format")

    def change(**update: object) -> str:
        new = replace(choice, **update)  # type: ignore[arg-type]
        return f"{EXPORT}:o:{scope}:{new.data()}"

    def period(key: str, code: str) -> Button:
        return Button(label=_picked(t(key), choice.period == code), data=change(period=code))

    typed = choice.period not in PRESETS
    rows = [
        [period("export_btn_quarter", "q"), period("export_btn_year", "y")],
        [period("export_btn_all", "all"),
         Button(label=_picked(t("export_btn_own"), typed),
                data=f"{EXPORT}:p:{scope}:{choice.flags}")],
        [Button(label=t("export_btn_appendix", mark="☑" if choice.appendix else "☐"),
                data=change(appendix=not choice.appendix))],
        [Button(label=_picked(t("export_btn_internal"), not choice.shareable),
                data=change(shareable=False)),
         Button(label=_picked(t("export_btn_shareable"), choice.shareable),
                data=change(shareable=True))],
        *([Button(label=FORMAT_LABELS[f], data=f"{EXPORT}:f:{scope}:{f}:{choice.data()}")]
          for f in ASKED),
    ]
    return Reply(text=text, buttons=rows, edit=edit)


def cli_flags(options: Options) -> str:
    """The choices as `veldgids export` takes them."""
    return "".join((f" --from {options.start.isoformat()}" if options.start else "",
                    f" --to {options.end.isoformat()}" if options.end else "",
                    " --appendix" if options.appendix else "",
                    " --share" if options.shareable else ""))
