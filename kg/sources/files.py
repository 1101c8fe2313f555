"""Reading input documents: which files, how decoded, and what counts as unreadable.

Policy (documented in the README): UTF-8 (with or without BOM) and UTF-16/32 with a BOM are
read as such; other bytes that are not valid UTF-8 are decoded with replacement characters and
a warning giving the first bad byte offset; files with NUL bytes are binary and skipped; empty
files are skipped; files above the size limit (KG_MAX_BYTES, default 2 MB, far beyond any
news article) are refused before a byte is read, so memory stays bounded whatever the input."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from kg.errors import InputError

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
DEFAULT_MAX_BYTES = 2_000_000


def max_bytes() -> int:
    try:
        return int(os.environ.get("KG_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


@dataclass
class Source:
    path: Path
    slug: str


def discover(paths: list[Path]) -> Iterator[Source]:
    """Files named directly, and text files inside folders (recursively, sorted)."""
    for p in paths:
        if p.is_dir():
            # the folder's files are fixed when its turn comes; one that vanishes or changes
            # afterwards is still yielded, so read_text names it instead of it dropping out
            files = [f for f in sorted(p.rglob("*")) if f.is_file() and wanted(f.name)]
            for f in files:
                yield Source(f, slug_of(f))
        else:
            yield Source(p, slug_of(p))


def wanted(name: str) -> bool:
    """Whether a file found inside a folder is an input: text suffixes, not hidden, not gold."""
    return PurePath(name).suffix.lower() in TEXT_SUFFIXES and not name.startswith(".") and ".gold" not in name


def slug_of(path: Path) -> str:
    """The spec's `doc`: the file name without its extension."""
    return path.name.rsplit(".", 1)[0] if "." in path.name else path.name


def read_text(path: Path, warn: Callable[[str], None] | None = None) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (or it vanished before it could be read)") \
            from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    limit = max_bytes()
    if size > limit:
        raise InputError(f"{path}: {size} bytes is over the {limit}-byte limit (KG_MAX_BYTES)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: vanished before it could be read") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return decode(data, str(path), warn)


def decode(data: bytes, path: str, warn: Callable[[str], None] | None = None) -> str:
    """A file's bytes as text by the policy above (`path` only names it in messages), for
    readers that get the bytes elsewhere (a Spark job reading any Hadoop file system)."""
    if len(data) > max_bytes():
        raise InputError(f"{path}: {len(data)} bytes is over the {max_bytes()}-byte limit "
                         "(KG_MAX_BYTES)")
    if not data.strip():
        raise InputError(f"{path}: empty file")
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: invalid {enc} at byte {exc.start}") from None
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (NUL bytes), skipped")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if warn:
            warn(f"{path}: invalid UTF-8 at byte {exc.start}; undecodable bytes replaced")
        text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return text
