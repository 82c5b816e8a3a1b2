"""`veldgids run` for the throughput runs: `python -m bench.launch [--no-rate-limit]`.

Exactly `bot.ops.cli.main(["run"])`. With --no-rate-limit the Application is built without the
PatientRateLimiter (which caps all calls at Telegram's 30 per second, so the run would
measure the limiter, not the bot; the echo baseline has none either).
"""

from __future__ import annotations

import sys
from functools import partial


def main(argv: list[str]) -> int:
    if "--no-rate-limit" in argv:
        import bot.telegram.runner
        from bot.telegram.app import build_application

        bot.telegram.runner.build_application = partial(build_application, rate_limited=False)
    from bot.ops.cli import main as veldgids

    return veldgids(["run"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
