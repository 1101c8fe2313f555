"""Agreement dates from the sentence that states the agreement, as precise as the text gives
them. With the document's publication date (from a web page, a dump or a feed) a date without
a year ("on 14 March") takes the year that puts it nearest the publication, and a weekday
("on Thursday") resolves to that day of the publication's week: the last one on or before the
publication for a concluded agreement, the next one after it for a planned one. Without a
publication date neither is guessed (the gold convention: no date from a bare weekday)."""

from __future__ import annotations

import datetime
import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_MONTH = "(January|February|March|April|May|June|July|August|September|October|November|December)"
_WEEKDAY = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NO_YEAR = ((rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?!,?\s+\d{{4}})", "dm"),
            (rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})(?!\d)", "md"))


def sentence_date(text: str, status: str = "signed", published: str | None = None) -> str | None:
    """The first valid calendar date of the sentence (ISO 8601, day or month precision)."""
    for pattern, order in ((rf"\b(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})\b", "dmy"),
                           (rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", "mdy"),
                           (r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", "dmy-num")):
        for m in re.finditer(pattern, text):
            if order == "dmy":
                d, mo, y = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
            elif order == "mdy":
                d, mo, y = int(m.group(2)), MONTHS[m.group(1).lower()], int(m.group(3))
            else:
                d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            try:
                return datetime.date(y, mo, d).isoformat()
            except ValueError:
                continue  # "45 March": no date
    month = re.search(rf"\b{_MONTH}\s+(\d{{4}})\b", text)
    if month:
        return f"{month.group(2)}-{MONTHS[month.group(1).lower()]:02d}"
    pub = _parse(published)
    if pub is None:
        return None
    return _without_year(text, pub) or _weekday(text, status, pub)


def _parse(published: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def _without_year(text: str, pub: datetime.date) -> str | None:
    for pattern, order in _NO_YEAR:
        for m in re.finditer(pattern, text):
            if order == "dm":
                d, mo = int(m.group(1)), MONTHS[m.group(2).lower()]
            else:
                d, mo = int(m.group(2)), MONTHS[m.group(1).lower()]
            candidates = []
            for y in (pub.year - 1, pub.year, pub.year + 1):
                try:
                    candidates.append(datetime.date(y, mo, d))
                except ValueError:
                    continue
            if candidates:  # the year that puts it nearest the publication
                return min(candidates, key=lambda c: abs((c - pub).days)).isoformat()
    return None


def _weekday(text: str, status: str, pub: datetime.date) -> str | None:
    m = re.search(rf"\b(?:(on|last|this|next)\s+)?{_WEEKDAY}\b", text)
    if not m or status == "proposed":
        return None
    want = WEEKDAYS[m.group(2).lower()]
    if (m.group(1) or "").lower() == "next" or status == "planned":
        ahead = (want - pub.weekday()) % 7 or 7
        return (pub + datetime.timedelta(days=ahead)).isoformat()
    back = (pub.weekday() - want) % 7
    if (m.group(1) or "").lower() == "last" and back == 0:
        back = 7
    return (pub - datetime.timedelta(days=back)).isoformat()
