"""`python -m bot.ops.healthcheck`: exit 0 when the running bot's /healthz says ok, 1 otherwise.

For the container's HEALTHCHECK (the slim image has no curl). It reads VELDGIDS_LISTEN like
the bot does; a wildcard address is asked on the loopback interface.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

from bot.ops.settings import HEALTH_PATH, listen_address


def url(listen: str) -> str:
    host, port = listen_address(listen)
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}{HEALTH_PATH}" if ":" in host else f"http://{host}:{port}{HEALTH_PATH}"


def main() -> int:
    target = url(os.environ.get("VELDGIDS_LISTEN", "127.0.0.1:8080"))
    try:
        with urllib.request.urlopen(target, timeout=8) as response:
            print(response.read().decode(errors="replace"))
            return 0
    except urllib.error.HTTPError as exc:
        print(exc.read().decode(errors="replace"))
    except (OSError, ValueError) as exc:
        print(f"{target}: {exc}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
