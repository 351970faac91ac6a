"""Prometheus metrics (prometheus-client), counted where things happen.

Served at `/metrics` when METRICS_PORT is set (bot/observability.py). The outbox backlog
is measured by the process holding the sweeps' lease (scheduler/schedule.py).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

UPDATES = Counter("vmo_updates_handled_total", "Updates handled, by kind", ["kind"])
ERRORS = Counter("vmo_update_errors_total", "Updates whose handling failed on our side")
LATENCY = Histogram(
    "vmo_update_seconds",
    "Time from taking an update to committing its effects",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge("vmo_outbox_backlog", "Outbox messages waiting to be sent")
DELIVERED = Counter("vmo_outbox_delivered_total", "Outbox messages, by outcome", ["outcome"])
FLOOD_WAITS = Counter(
    "vmo_telegram_429_total", "Calls Telegram answered with 429, by method", ["method"]
)
