"""Reading input documents: which files, how decoded, and what counts as unreadable.

Policy (documented in the README): UTF-8 (with or without BOM) and UTF-16/32 with a BOM are
read as such; other bytes that are not valid UTF-8 are decoded with replacement characters and
a warning giving the first bad byte offset; files with a NUL byte anywhere are binary and
skipped; empty files are skipped; files above the size limit (KG_MAX_BYTES, default 2 MB, far
beyond any news article) are refused before a byte is read, and never more than the limit is
read, so memory stays bounded whatever the input. Only regular files are opened: a FIFO, a
device or a socket is refused from its file type (opening a FIFO would wait for a writer).

Inside a folder, symbolic links are followed only when they stay inside the folder named on
the command line; a link leading out of it is skipped with a warning (a folder of news must
not turn `/etc/shadow` into a headline). A subfolder that cannot be listed is one error line;
the rest of the tree is read."""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO

from kg.errors import InputError
from kg.sources.identity import assign_identities

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}
DEFAULT_MAX_BYTES = 2_000_000


def max_bytes() -> int:
    try:
        return int(os.environ.get("KG_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


@dataclass
class Source:
    """One input: a file to read, or a problem met while listing (`problem` set, and
    `warning` when it costs nothing the user asked for)."""

    path: Path
    slug: str
    rel: str = ""  # path relative to the folder named on the command line ("" if named)
    problem: str | None = None
    warning: bool = False


def discover(paths: list[Path], suffixes: set[str] | None = None) -> list[Source]:
    """Files named directly, and inside folders (recursively, sorted) the files whose ending
    is one of `suffixes` (default: text files; `kg.sources.registry.suffixes()` for every
    input format), each with a unique document identity (see `kg.sources.identity`)."""
    wanted = TEXT_SUFFIXES if suffixes is None else suffixes
    found: list[Source] = []
    for p in paths:
        if p.is_dir():
            found.extend(_walk(p, wanted))
        else:
            found.append(Source(p, slug_of(p)))
    return assign_identities(found)


def _walk(root: Path, wanted: set[str]) -> Iterator[Source]:
    """The folder's input files in sorted order. The folder's files are fixed when its turn
    comes; one that vanishes or changes afterwards is still yielded, so read_text names it
    instead of it dropping out."""
    top = root.resolve()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Source(folder, "", problem=f"{folder}: cannot read folder "
                                             f"({exc.strerror or exc}), skipped")
            continue
        subfolders = []
        for e in entries:
            path = Path(e.path)
            if e.name.startswith("."):
                continue
            if e.is_symlink():
                try:
                    target = path.resolve()
                except (OSError, RuntimeError):  # a loop of links
                    yield Source(path, "", problem=f"{path}: symbolic link that cannot be "
                                                   "resolved (a loop?), skipped")
                    continue
                if not target.is_relative_to(top):
                    yield Source(path, "", problem=f"{path}: symbolic link to {target}, outside "
                                                   f"{root}: not followed", warning=True)
                    continue
                if target.is_dir():
                    continue  # inside the tree: its files are read where they are
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                if _is_store(path):
                    yield Source(path, "", problem=f"{path}: a kg store, not read as input",
                                 warning=True)
                else:
                    subfolders.append(path)
                continue
            if path.suffix.lower() not in wanted or ".gold" in e.name:
                continue
            yield Source(path, slug_of(path), rel=path.relative_to(root).as_posix())
        stack.extend(reversed(subfolders))


def _is_store(folder: Path) -> bool:
    """A store kept inside an input folder (`--store news/store`): its files are no input."""
    from kg.backends.rdf.integrity import MARKER

    try:
        return (folder / MARKER).is_file() or (
            (folder / "CURRENT").is_file() and any(folder.glob("MANIFEST-*")))
    except OSError:  # an unreadable folder is no store: the walk reports it as unreadable
        return False


def wanted(name: str) -> bool:
    """Whether a file met inside a folder is an input (the rule of `_walk`)."""
    return not name.startswith(".") and PurePath(name).suffix.lower() in TEXT_SUFFIXES and \
        ".gold" not in name


def slug_of(path: Path) -> str:
    """The spec's `doc`: the file name without its extension."""
    return path.name.rsplit(".", 1)[0] if "." in path.name else path.name


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (or it vanished before it could be read)") \
            from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def open_text(path: Path, encoding: str = "utf-8") -> IO[str]:
    """A regular file opened for streaming text (article dumps, which may be larger than
    one article), with the same refusals as read_bytes: not a FIFO, device or socket."""
    st = _stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: {_kind(st.st_mode)}, not a regular file: skipped")
    try:
        return path.open(encoding=encoding, errors="strict", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's bytes, refusing what is not a regular file (before opening it: a FIFO
    would block) and what is over the limit (by its size, and by reading no more than the
    limit whatever the size claims)."""
    st = _stat(path)
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: cannot read (Is a directory)")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: {_kind(st.st_mode)}, not a regular file: skipped")
    limit = limit or max_bytes()
    if st.st_size > limit:
        raise InputError(f"{path}: {st.st_size} bytes is over the {limit}-byte limit "
                         "(KG_MAX_BYTES)")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise InputError(f"{path}: vanished before it could be read") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the stat
            raise InputError(f"{path}: not a regular file: skipped")
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > limit:
        raise InputError(f"{path}: over the {limit}-byte limit (KG_MAX_BYTES)")
    return data


def read_text(path: Path, warn: Callable[[str], None] | None = None) -> str:
    return decode(read_bytes(path), str(path), warn)


def decode(data: bytes, path: str, warn: Callable[[str], None] | None = None) -> str:
    """A file's bytes as text by the policy above (`path` only names it in messages), for
    readers that get the bytes elsewhere (a Spark job reading any Hadoop file system)."""
    if len(data) > max_bytes():
        raise InputError(f"{path}: over the {max_bytes()}-byte limit (KG_MAX_BYTES)")
    if not data.strip():
        raise InputError(f"{path}: empty file")
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: invalid {enc} at byte {exc.start}") from None
            if "\x00" in text:
                raise InputError(f"{path}: binary file (NUL characters), skipped")
            return text
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{path}: binary file (NUL byte at offset {nul}), skipped")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if warn:
            warn(f"{path}: invalid UTF-8 at byte {exc.start}; undecodable bytes replaced")
        text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return text
