"""Logs and metrics: what an operator reads when something is slow or wrong.

- `LOG_FORMAT=json`: one JSON object per line, with the update being handled (its id, the
  user's and the chat's ids, what kind of update it is) attached to every record logged
  while it is handled, and one "update handled" record per update with its duration.
- `METRICS_PORT`: Prometheus metrics at `http://<host>:METRICS_PORT/metrics`
  (prometheus-client's own server, in a thread); the metrics are in services/metrics.py.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client import start_http_server as _start_http_server
from telegram import Update

# The update being handled, for every log record written meanwhile.
current_update: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "current_update", default=None
)


def update_kind(update: object) -> str:
    """A short, bounded name for what an update is: `command:/start`, `button:task1`…"""
    if not isinstance(update, Update):
        return type(update).__name__.lower()
    if update.callback_query is not None:
        prefix = (update.callback_query.data or "").split(":", 1)[0]
        return f"button:{prefix[:16]}" if prefix else "button"
    message = update.effective_message
    if update.message is not None and message is not None:
        text = message.text or ""
        if text.startswith("/"):
            return f"command:{text.split()[0].split('@')[0][:32]}"
        where = message.chat.type if message.chat else "private"
        return f"message:{where}"
    for name in (
        "chat_join_request",
        "my_chat_member",
        "chat_member",
        "poll_answer",
        "poll",
        "edited_message",
    ):
        if getattr(update, name, None) is not None:
            return name
    return "other"


def describe(update: object) -> dict[str, Any]:
    """The fields each log record of this update carries."""
    fields: dict[str, Any] = {"handler": update_kind(update)}
    if isinstance(update, Update):
        fields["update_id"] = update.update_id
        if update.effective_user is not None:
            fields["user_id"] = update.effective_user.id
        if update.effective_chat is not None:
            fields["chat_id"] = update.effective_chat.id
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the update's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(current_update.get() or {})
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _UpdateFields(logging.Filter):
    """Text logs: append `[update 42 user 7]` while an update is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = current_update.get()
        record.update_tag = (
            f" [update {fields.get('update_id')} user {fields.get('user_id')}]" if fields else ""
        )
        return True


def setup_logging(level: str, log_format: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.addFilter(_UpdateFields())
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s%(update_tag)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "alembic.runtime.plugins"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def start_metrics_server(port: int, registry: CollectorRegistry = REGISTRY) -> None:
    """Serve /metrics on `port` (a daemon thread of prometheus-client's)."""
    _start_http_server(port, registry=registry)
