"""What makes a folder a kg store, how a damaged one is recognised, and how it is rebuilt.

* A kg store is marked by `kg-store.json` (format name and version). kg writes into a folder
  only if it is missing, empty, marked, or an unmarked store of an earlier kg (nothing but
  RocksDB's own files); anything else is refused, because RocksDB deletes files in its folder
  whose names look like its own (a user's `000001.log` would go).
* Every build keeps the extraction records it published in `records.jsonl` inside the store
  (one spec record per document, the latest of each; rewritten atomically at each publish,
  pruned by `--reset` and by rebuilding a document). They are what a damaged store is rebuilt
  from: `kg store rebuild` resolves them into a fresh store and swaps it in, keeping the
  damaged folder beside it until the user deletes it.
* RocksDB reports damage (a truncated `.sst`, an empty `CURRENT`) as RuntimeError/OSError
  "Corruption: ..."; `damaged()` turns it into one line that says what to run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import StoreError
from kg.record.schema import Record
from kg.sources.identity import identity

MARKER = "kg-store.json"
RECORDS = "records.jsonl"
FORMAT = "kg-store"
VERSION = 1
# RocksDB's own file names (what an unmarked store of an earlier kg holds)
_ROCKSDB = re.compile(r"^(CURRENT|IDENTITY|LOCK|LOG(\.old\.\d+)?|MANIFEST-\d+|OPTIONS-\d+"
                      r"|\d+\.(log|sst|blob))$")


def is_rocksdb_only(path: Path) -> bool:
    names = [p.name for p in path.iterdir()]
    return "CURRENT" in names and all(_ROCKSDB.match(n) or n in (RECORDS, MARKER)
                                      for n in names)


def read_marker(path: Path) -> dict | None:
    try:
        data = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def ensure_writable(path: Path) -> None:
    """Refuse to create or write a store where it would harm what is there."""
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a kg store folder: choose another --store "
                         "(or KG_STORE)")
    if not path.is_dir():
        return
    try:
        empty = not any(path.iterdir())
    except OSError as exc:
        raise StoreError(f"cannot read the store folder {path}: {exc.strerror or exc}") from None
    if empty:
        return
    marker = read_marker(path)
    if marker is not None:
        if int(marker.get("version", 0)) > VERSION:
            raise StoreError(f"the store {path} has format version {marker.get('version')}, "
                             f"newer than this kg reads ({VERSION}): upgrade kg")
        return
    if (path / MARKER).exists():
        raise StoreError(f"{path}/{MARKER} is unreadable: the folder is not a kg store "
                         "kg can use; choose another --store (or KG_STORE)")
    if not is_rocksdb_only(path):
        raise StoreError(f"{path} is a non-empty folder that is not a kg store (no {MARKER}): "
                         "refusing to write there; choose an empty or new folder for --store "
                         "(or KG_STORE)")


def write_marker(path: Path) -> None:
    if read_marker(path) is not None:
        return
    _atomic_write(path / MARKER, json.dumps({"format": FORMAT, "version": VERSION}) + "\n")


def _atomic_write(target: Path, text: str) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from None


def is_damage(exc: BaseException) -> bool:
    return isinstance(exc, RuntimeError | OSError) and "corrupt" in str(exc).lower()


def damaged(path: Path, exc: BaseException) -> StoreError:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    kept = count_records(path)
    how = (f"'kg store rebuild --store {path}' rebuilds it from its {kept} kept extraction "
           "record(s)") if kept else "rebuild it with 'kg build PATH --reset'"
    return StoreError(f"the store {path} is damaged ({first[:160]}): {how}")


# --------------------------------------------------------------------------- kept records

def count_records(path: Path) -> int:
    try:
        with (path / RECORDS).open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    except OSError:
        return 0


def kept_records(path: Path) -> Iterator[Record]:
    from kg.record.schema import read_jsonl

    if not (path / RECORDS).exists():
        raise StoreError(f"the store {path} keeps no extraction records ({RECORDS}): rebuild "
                         "it from the texts with 'kg build PATH --reset'")
    return read_jsonl(path / RECORDS)


class RecordLog:
    """The records of one build, spooled to a file as they are staged, merged into
    `records.jsonl` when the build publishes (the latest record of each document)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.spool = path / f".{RECORDS}.{os.getpid()}.new"
        self._fh: IO[str] | None = None
        self.ids: set[str] = set()

    def add(self, record: Record) -> None:
        if self._fh is None:
            self._fh = self.spool.open("w", encoding="utf-8")
        self.ids.add(identity(record.doc))
        self._fh.write(json.dumps(record.to_json(), ensure_ascii=False) + "\n")

    def discard(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self.spool.unlink(missing_ok=True)

    def commit(self, reset: bool) -> None:
        """records.jsonl := (old records of documents not built again, unless reset) + new
        ones, latest last; written beside and renamed over, so it is whole or old."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        target = self.path / RECORDS
        tmp = self.path / f".{RECORDS}.{os.getpid()}.part"
        try:
            with tmp.open("w", encoding="utf-8") as out:
                if not reset and target.exists():
                    with target.open(encoding="utf-8") as old:
                        for line in old:
                            if line.strip() and _doc_identity(line) not in self.ids:
                                out.write(line)
                for line in _latest(self.spool) if self.spool.exists() else ():
                    out.write(line)
                out.flush()
                os.fsync(out.fileno())
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"cannot write {target}: {exc.strerror or exc}") from None
        finally:
            self.spool.unlink(missing_ok=True)


def _doc_identity(line: str) -> str:
    try:
        return identity(str(json.loads(line).get("doc", "")))
    except (ValueError, AttributeError):
        return ""


def _latest(spool: Path) -> Iterable[str]:
    """The spooled lines, the last record of each document only (a document named twice in
    one build: the last one wins, as in the store)."""
    last: dict[str, int] = {}
    with spool.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            last[_doc_identity(line)] = n
    keep = set(last.values())
    with spool.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n in keep:
                yield line


@contextmanager
def record_log(path: Path, reset: bool) -> Iterator[RecordLog]:
    log = RecordLog(path)
    try:
        yield log
    except BaseException:
        log.discard()
        raise
    log.commit(reset)


# --------------------------------------------------------------------------- check / rebuild

@dataclass
class CheckReport:
    path: Path
    ok: bool
    problem: str = ""
    documents: int = 0
    quads: int = 0
    records: int = 0
    marked: bool = False

    def lines(self) -> list[str]:
        head = f"store {self.path}: " + ("ok" if self.ok else f"DAMAGED: {self.problem}")
        out = [head, f"  documents {self.documents}, quads {self.quads}" if self.ok else
               "  the graph cannot be read", f"  kept extraction records: {self.records}",
               f"  marked as a kg store ({MARKER}): {'yes' if self.marked else 'no'}"]
        if not self.ok:
            out.append(f"  recover with: kg store rebuild --store {self.path}" if self.records
                       else "  recover with: kg build PATH --reset (no records kept)")
        return out


def check(path: Path) -> CheckReport:
    """Open the store read-only and read every quad (RocksDB checks each block it reads)."""
    from kg.backends.rdf.store import EmbeddedStore

    rep = CheckReport(path, ok=False, records=count_records(path),
                      marked=read_marker(path) is not None)
    if not (path / "CURRENT").exists():
        rep.problem = "no RocksDB CURRENT file" if path.is_dir() else "no store folder"
        return rep
    try:
        with EmbeddedStore(path, create=False, read_only=True) as st:
            rep.documents = len(st.document_graphs())
            rep.quads = sum(1 for _ in st._store.quads_for_pattern(None, None, None, None))
    except StoreError as exc:
        rep.problem = str(exc)
        return rep
    except (RuntimeError, OSError) as exc:
        rep.problem = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return rep
    rep.ok = True
    return rep


@dataclass
class RebuildResult:
    documents: int
    entities: int
    relations: int
    damaged_copy: Path | None


def rebuild(path: Path) -> RebuildResult:
    """A fresh store from the kept records, built beside and swapped in; the old folder is
    kept as `<name>.damaged-<time>` (deleted only by the user)."""
    from kg.backends.rdf.store import EmbeddedStore, _exclusive
    from kg.flow import BuildResult, build_store

    path = Path(path)
    if not (path / RECORDS).exists():
        kept_records(path)  # raises the explanation
    fresh = path.with_name(f".{path.name}.rebuild-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    result = BuildResult()
    with _exclusive(path):
        try:
            with EmbeddedStore(fresh, create=True) as st:
                build_store(kept_records(path), st, reset=True, result=result)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.rename(aside)
            fresh.rename(path)
        except OSError as exc:
            raise StoreError(f"cannot swap the rebuilt store into {path}: "
                             f"{exc.strerror or exc} (it is at {fresh})") from None
    return RebuildResult(result.documents, result.entities, result.relations, aside)
