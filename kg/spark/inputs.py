"""Input discovery and reading on any Hadoop file system (file:, hdfs:, s3a:...).

The order is the single-machine build's (`kg.sources.files.discover`): the inputs as given,
each folder's files sorted by path components. Cross-document resolution depends on that order,
so every document carries its position as a sort key. Two kinds of input:
- text files (the folder filter of `discover`), read whole with `binaryFiles` and decoded by the
  same policy (`decode`);
- article JSONL (`*.jsonl`): one article per line, its fields read as `kg build` reads a JSONL
  dump (`kg.sources.dumps`: id, url, title, date, text, site and their synonyms), in line order.
Each document carries the metadata `kg build` gives it (`source`: the path as given on the
command line joined with the path inside the folder), so the records are the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from kg.errors import InputError
from kg.sources.document import Document
from kg.sources.files import Source, decode, slug_of, wanted
from kg.sources.identity import assign_identities

Order = tuple  # (input index, path components, line number): sorts as `kg build` reads
Item = tuple[Order, str, Document | None, str | None]  # (order, doc, document, error message)


def shown(given: str, parts: tuple[str, ...] = ()) -> str:
    """The path a document's `source` names: the input as given, and inside a folder the
    file's path in it (as `kg build` names files)."""
    if "://" in given:
        return "/".join([given.rstrip("/"), *parts]) if parts else given
    return str(PurePath(given, *parts))


@dataclass
class Listing:
    texts: list[tuple[Order, str, str, str]]  # (order, file URI, document name, source)
    articles: list[tuple[Order, str, str]]  # (order, JSONL file URI, source)
    missing: list[str]
    problems: list[str] = field(default_factory=list)  # skipped inputs, one line each


def is_articles(name: str) -> bool:
    return name.lower().endswith(".jsonl")


def walk_key(parts: tuple[str, ...]) -> tuple:
    """`discover`'s order inside a folder: a folder's files (by name) before its subfolders
    (by name, each walked in turn)."""
    return (*((1, d) for d in parts[:-1]), (0, parts[-1]))


def list_inputs(spark: Any, paths: list[str]) -> Listing:
    """Every input file under `paths` (files named directly are taken whatever their name),
    with the document names `discover` gives them (`kg.sources.identity`)."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    out = Listing([], [], [])
    sources: list[tuple[Order, str, Source]] = []
    for i, p in enumerate(paths):
        path = jvm.org.apache.hadoop.fs.Path(p)
        fs = path.getFileSystem(conf)
        if not fs.exists(path):
            out.missing.append(p)
            continue
        status = fs.getFileStatus(path)
        if not status.isDirectory():
            uri = status.getPath().toString()
            name = status.getPath().getName()
            if is_articles(name):
                out.articles.append(((i, (), 0), uri, shown(p)))
            else:
                sources.append(((i, (), 0), uri, Source(Path(shown(p)), slug_of_name(name))))
            continue
        root = status.getPath().toString().rstrip("/") + "/"
        found = []
        it = fs.listFiles(path, True)
        while it.hasNext():
            uri = it.next().getPath().toString()
            parts = tuple(uri[len(root):].split("/")) if uri.startswith(root) else (uri,)
            if any(x.startswith(".") for x in parts):
                continue
            if wanted(parts[-1]) or is_articles(parts[-1]):
                found.append((walk_key(parts), uri, parts))
        for key, uri, parts in sorted(found):
            order = (i, key, 0)
            if is_articles(parts[-1]):
                out.articles.append((order, uri, shown(p, parts)))
            else:
                sources.append((order, uri, Source(Path(shown(p, parts)),
                                                   slug_of_name(parts[-1]),
                                                   rel="/".join(parts))))
    assign_identities([src for _, _, src in sources])
    for order, uri, src in sources:
        if src.problem:
            out.problems.append(src.problem)
        else:
            out.texts.append((order, uri, src.slug, str(src.path)))
    return out


def read_items(spark: Any, listing: Listing, partitions: int) -> Any:
    """RDD of (order, doc, text, error): one per document; an unreadable one carries its
    one-line error instead of text (it is reported, the others go on)."""
    sc = spark.sparkContext
    rdds = []
    if listing.texts:
        known = sc.broadcast({uri: (order, doc, src) for order, uri, doc, src in listing.texts})
        files = sc.binaryFiles(",".join(uri for _, uri, _, _ in listing.texts),
                               minPartitions=partitions)
        rdds.append(files.map(lambda kv: _text_item(known.value[kv[0]], kv[0], kv[1])))
    for order, uri, src in listing.articles:
        lines = sc.textFile(uri, minPartitions=max(1, partitions // 2)).zipWithIndex()
        rdds.append(lines.flatMap(lambda kv, o=order, s=src: _article_items(o, s, *kv)))
    if not rdds:
        return sc.emptyRDD()
    # binaryFiles packs small files into few splits: spread the documents over every core
    return (sc.union(rdds) if len(rdds) > 1 else rdds[0]).repartition(partitions)


def _text_item(known: tuple[Order, str, str], uri: str, data: bytes) -> Item:
    order, doc, source = known
    try:
        text = decode(bytes(data), source)
    except InputError as exc:
        return order, doc, None, str(exc)
    return order, doc, Document(slug=doc, text=text, source=source, where=source), None


def slug_of_name(name: str) -> str:
    return slug_of(PurePath(name))  # type: ignore[arg-type]


def _article_items(order: Order, source: str, line: str, n: int) -> Iterator[Item]:
    """One line of an article dump, read by `kg build`'s JSONL reader (same fields, same
    document names, same one-line errors)."""
    from kg.sources.dumps import article_document
    from kg.sources.registry import Problems, ReadOptions

    key = (order[0], order[1], n)
    where = f"{source}:{n + 1}"
    if not line.strip():
        return
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        yield key, where, None, f"{where}: not valid JSON ({exc.msg})"
        return
    if not isinstance(row, dict):
        yield key, where, None, f"{where}: not a JSON object"
        return
    bad: list[str] = []
    doc = article_document(Path(source), n + 1, row, ReadOptions(), Problems(bad=bad.append), "jsonl")
    if doc is None:
        yield key, where, None, bad[0] if bad else f"{where}: unreadable"
        return
    yield key, doc.slug, doc, None
