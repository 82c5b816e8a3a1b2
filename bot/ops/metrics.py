"""`/metrics` in Prometheus' text format (VELDGIDS_METRICS=on), through prometheus-client.

Read at scrape time from Telemetry's counters and the database's queue depths; labels are
kinds, queues and Bot API methods only — no user data, no ids.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from bot.telegram.telemetry import UPDATE_KINDS, Telemetry
from storage.ops import queue_depths
from storage.store import Store

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
ERROR_KINDS = ("update_failed", "job_failed", "telegram_rate_limited", "telegram_refused",
               "telegram_unavailable", "telegram_unreachable", "webhook_unauthorized",
               "webhook_malformed")


class VeldgidsCollector(Collector):
    def __init__(self, telemetry: Telemetry, store: Store) -> None:
        self.telemetry = telemetry
        self.store = store

    def collect(self) -> Iterator[Metric]:
        t = self.telemetry
        updates = CounterMetricFamily("veldgids_updates_handled", "Updates handled, by kind",
                                      labels=["kind"])
        for kind in (*UPDATE_KINDS, "other"):
            updates.add_metric([kind], t.updates[kind])
        yield updates
        replies = CounterMetricFamily(
            "veldgids_replies_sent", "Messages sent or edited for librarians (replies and "
            "reminders), by Bot API method", labels=["method"])
        for method in sorted(t.replies):
            replies.add_metric([method], t.replies[method])
        yield replies
        errors = CounterMetricFamily("veldgids_errors", "Errors, by kind", labels=["kind"])
        for kind in sorted({*ERROR_KINDS, *t.errors}):
            errors.add_metric([kind], t.errors[kind])
        yield errors
        depth = GaugeMetricFamily("veldgids_queue_depth", "Work waiting, by queue",
                                  labels=["queue"])
        for queue, count in queue_depths(self.store, t.clock()).items():
            depth.add_metric([queue], count)
        yield depth
        yield GaugeMetricFamily("veldgids_bot_api_last_answer_age_seconds",
                                "Seconds since the Bot API last answered",
                                value=t.contact_age())
        if t.webhook_pending is not None:
            yield GaugeMetricFamily("veldgids_webhook_pending_updates",
                                    "Updates Telegram holds for the webhook (getWebhookInfo)",
                                    value=t.webhook_pending)


class Metrics:
    content_type = CONTENT_TYPE

    def __init__(self, telemetry: Telemetry, store: Store) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(VeldgidsCollector(telemetry, store))
        ProcessCollector(registry=self.registry)  # memory, CPU, open files of this process

    def render(self) -> bytes:
        return generate_latest(self.registry)
