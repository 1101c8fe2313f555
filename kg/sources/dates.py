"""Publication dates as sources write them (ISO 8601, RFC 822 in feeds, "March 3, 2025" in
dumps) normalised to an ISO date, so comparisons and the "year from the publication date" rule
work on one form."""

from __future__ import annotations

import datetime as dt
import email.utils
import time

from dateutil import parser as dateparser


def iso_date(value: object) -> str | None:
    """YYYY-MM-DD for a date the source gives, None when there is none or it cannot be read."""
    if value is None:
        return None
    if isinstance(value, time.struct_time):
        return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        if parsed is not None:
            return parsed.date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        # a fixed default: a date without a day must not take today's
        got = dateparser.parse(text, default=dt.datetime(1900, 1, 1))
    except (ValueError, OverflowError, dateparser.ParserError):
        return None
    if got.year == 1900:
        return None
    return got.date().isoformat()
