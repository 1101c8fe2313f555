"""Answers of saved questions kept per store generation. The store changes only when
something writes to it (a publish, an import, a rebuild, a reset), so a saved question's
bounded answer (columns, rows up to the limit, whether more were available) is the same until
then and can be served without running SPARQL: a question that lists the whole graph costs
seconds to compute and milliseconds to read back.

The generation is read from RocksDB's own files, not from anything kg writes: every write
appends to the write-ahead log (`*.log`) or changes the manifest and the table files, so their
names, sizes and modification times change with every change of the graph (and with damage
to any of them: a truncated table file is noticed, not hidden behind a kept answer), and a
read-only open changes none of them. An answer is stored under the generation read before its worker
opened the store, and only if the generation is still the same after the answer was read, so
an answer never carries the name of a graph it was not read from.

Entries live in `kg-answers/` inside the store folder (a name RocksDB never takes for its
own), one JSON file per answer (rows as objects: the fastest form to read back), written
beside and renamed into place (whole or absent), at most MAX_ENTRIES files and MAX_BYTES
bytes (the oldest go first; entries of older generations go at the next write). A folder
that cannot be written (read-only media, another user's store) just means no cache: a
question never fails for its cache, and never writes the graph. Stores without kg's marker
(an earlier kg's folders) get no cache folder, since a folder in them would make kg refuse
to build there. `KG_ANSWER_CACHE=off` turns it off."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from kg.query.limits import Answer

FOLDER = "kg-answers"
FORMAT = 1  # bump when what an entry holds, or how rows are made, changes
MAX_ENTRIES = 512
MAX_BYTES = 256 * 1024 * 1024
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a larger answer is computed each time
_DATA = re.compile(r"^(CURRENT|MANIFEST-\d+|\d+\.(log|sst|blob))$")


def generation(store: Path | str) -> str | None:
    """A short name for the store's on-disk state (None if the folder cannot be read). Costs
    one directory listing and a stat per RocksDB file (a few dozen)."""
    parts = []
    try:
        with os.scandir(store) as it:
            for e in it:
                if _DATA.match(e.name):  # table files too: a damaged one must not be hidden
                    st = e.stat()
                    parts.append(f"{e.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return None
    if not parts:
        return None
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:20]


def enabled() -> bool:
    return os.environ.get("KG_ANSWER_CACHE", "on").lower() not in ("off", "0", "no")


class AnswerCache:
    """The answers kept for one store folder (or `folder`, elsewhere: the benchmark)."""

    def __init__(self, store: Path | str, folder: Path | str | None = None) -> None:
        self.store = Path(store)
        self.folder = Path(folder) if folder is not None else self.store / FOLDER
        self.own_folder = folder is None

    @staticmethod
    def key(generation: str, sparql: str, bindings: dict[str, Any], limit: int) -> str:
        """The file name of an answer: generation first (stale ones are found by name)."""
        from kg import __version__  # another kg may read names or make rows differently

        text = json.dumps([FORMAT, __version__, sparql, sorted(bindings.items()), limit],
                          ensure_ascii=False, default=str)
        return f"{generation}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"

    def get(self, key: str) -> Answer | None:
        try:
            data = json.loads((self.folder / f"{key}.json").read_bytes())
            ans = Answer(cols=list(data["cols"]), rows=data["rows"],
                         truncated=bool(data["more"]), limit=int(data["limit"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(ans.rows, list) or (ans.rows and not isinstance(ans.rows[0], dict)):
            return None
        return ans

    def put(self, key: str, answer: Answer) -> None:
        """Keep an answer; any failure to write is ignored (the next ask computes it)."""
        if self.own_folder and not (self.store / "kg-store.json").exists():
            return
        body = json.dumps({"cols": answer.cols, "more": answer.truncated, "limit": answer.limit,
                           "rows": answer.rows},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(body) > MAX_ENTRY_BYTES:
            return
        tmp = self.folder / f".{key}.{os.getpid()}.part"
        try:
            self.folder.mkdir(exist_ok=True)
            with tmp.open("wb") as fh:
                fh.write(body)
            tmp.replace(self.folder / f"{key}.json")
            self._trim(key.split("-", 1)[0])
        except OSError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def _trim(self, generation: str) -> None:
        """Drop entries of other generations, then the oldest beyond the bounds."""
        kept = []
        for e in os.scandir(self.folder):
            if not e.name.endswith(".json"):
                continue
            if not e.name.startswith(generation + "-"):
                _unlink(e.path)
                continue
            st = e.stat()
            kept.append((st.st_mtime_ns, st.st_size, e.path))
        kept.sort(reverse=True)
        total = 0
        for n, (_, size, path) in enumerate(kept):
            total += size
            if n and (n >= MAX_ENTRIES or total > MAX_BYTES):  # the newest always stays
                _unlink(path)

    def clear(self) -> None:
        try:
            for e in os.scandir(self.folder):
                _unlink(e.path)
        except OSError:
            pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def cached(store: Any, sparql: str, bindings: dict[str, Any], limit: int, compute: Any,
           cache: AnswerCache | None = None) -> Answer:
    """The answer from the cache, else compute(generation) (which must read the store as it
    was at that generation, see sparql_worker.worker_for) and keep it if nothing changed."""
    if not enabled():
        return compute(None)
    gen = generation(store.path)
    if gen is None:
        return compute(None)
    cache = cache or getattr(store, "answer_cache", None) or AnswerCache(store.path)
    key = AnswerCache.key(gen, sparql, bindings, limit)
    hit = cache.get(key)
    if hit is not None:
        return hit
    answer = compute(gen)
    if generation(store.path) == gen:
        cache.put(key, answer)
    return answer
