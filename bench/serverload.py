"""Load the fake Bot API server alone: `python -m bench.serverload BASE SECONDS CONNECTIONS`.

Runs in its own process (so the client does not share the server's interpreter lock), with
one keep-alive connection per thread, and prints JSON: requests per second, p50 in ms.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit

from bench.stats import percentile


def _worker(base: str, until: float, times: list[float]) -> None:
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    body = json.dumps({"chat_id": 1, "text": "Genoteerd bij Taalcafé Noord."}).encode()
    headers = {"Content-Type": "application/json"}
    while (start := time.perf_counter()) < until:
        conn.request("POST", url.path + "/sendMessage", body, headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"unexpected status {response.status}")
        times.append(time.perf_counter() - start)
    conn.close()


def main() -> None:
    base, seconds, connections = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    until = time.perf_counter() + seconds
    per_thread: list[list[float]] = [[] for _ in range(connections)]
    threads = [threading.Thread(target=_worker, args=(base, until, t)) for t in per_thread]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    times = [t for ts in per_thread for t in ts]
    print(json.dumps({"rps": len(times) / elapsed, "p50_ms": percentile(times, 50) * 1000,
                      "requests": len(times)}))


if __name__ == "__main__":
    main()
