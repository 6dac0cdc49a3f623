"""A plausible registration file (CSV text), for calibration tests."""

from __future__ import annotations

from datetime import date, timedelta

SEVERITIES = ("light", "regular", "complex")


def steady(weeks: int, theme: str = "debts", *, closed: bool = True) -> str:
    """A plausible registration of ``weeks`` weeks from 2 January 2023, three
    requests a week, of every severity, with durations of a few weeks (a few
    still open; all of them without ``closed``)."""
    first = date(2023, 1, 2)
    lines = ["requested,theme,severity,start,end,returning"]
    for i in range(3 * weeks):
        requested = first + timedelta(days=7 * (i // 3) + i % 3)
        start = requested + timedelta(days=7 + i % 5)
        end = start + timedelta(days=7 * (1 + i % 6) + i % 4)
        severity = SEVERITIES[i % 3]
        shown_end = end.isoformat() if closed and i < 3 * weeks - 10 else ""
        returning = "yes" if i % 9 == 4 else "no"
        lines.append(f"{requested},{theme},{severity},{start},{shown_end},{returning}")
    return "\n".join(lines) + "\n"
