"""Bounds on every query kg runs for a user: a time limit and a row limit, with defaults that
keep a careless or hostile query from running for minutes or filling memory. The row limit is
enforced while results stream in (at most limit + 1 rows are ever fetched), so memory stays
bounded whatever the query matches; a truncated answer is said so on stderr by the caller."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError

DEFAULT_TIMEOUT = 30.0  # seconds
DEFAULT_LIMIT = 10_000  # rows


class QueryTimeout(KgError):
    """A query ran longer than its time limit and was stopped."""


@dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT
    limit: int = DEFAULT_LIMIT

    def timeout_error(self) -> QueryTimeout:
        return QueryTimeout(f"query stopped: it ran longer than the {self.timeout:g} s time "
                            "limit (--timeout SECONDS to change it)")


@dataclass
class Answer:
    """A bounded answer: the columns, at most `limit` rows, and whether more were available.
    Unpacks as (cols, rows), like the backends' plain answers."""
    cols: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    limit: int = DEFAULT_LIMIT

    def __iter__(self) -> Iterator[Any]:
        return iter((self.cols, self.rows))

    def notice(self) -> str | None:
        if not self.truncated:
            return None
        return (f"Warning: result truncated to the first {self.limit} rows "
                "(--limit N to change it)")
