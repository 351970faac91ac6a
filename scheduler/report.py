"""The annual report's sweep (a row of scheduler/schedule.py): services/report_delivery.py."""

from __future__ import annotations

from services.report_delivery import send_annual_reports

__all__ = ["send_annual_reports"]
