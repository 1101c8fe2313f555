"""Input discovery and reading on any Hadoop file system (file:, hdfs:, s3a:...).

The order is the single-machine build's (`kg.sources.files.discover`): the inputs as given,
each folder's files sorted by path components. Cross-document resolution depends on that order,
so every document carries its position as a sort key. Two kinds of input:
- text files (the folder filter of `discover`), read whole with `binaryFiles` and decoded by the
  same policy (`decode`);
- article JSONL (`*.jsonl`): one `{"doc": ID, "text": ...}` per line (`id` or `slug` also name
  it), in line order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.sources.files import Source, decode, slug_of, wanted
from kg.sources.identity import assign_identities

Order = tuple  # (input index, path components, line number): sorts as `kg build` reads
Item = tuple[Order, str, str | None, str | None]  # (order, doc, text, error message)


@dataclass
class Listing:
    texts: list[tuple[Order, str, str]]  # (order, file URI, document name)
    articles: list[tuple[Order, str]]  # (order, JSONL file URI)
    missing: list[str]
    problems: list[str] = field(default_factory=list)  # skipped inputs, one line each


def is_articles(name: str) -> bool:
    return name.lower().endswith(".jsonl")


def walk_key(parts: tuple[str, ...]) -> tuple:
    """`discover`'s order inside a folder: a folder's files (by name) before its subfolders
    (by name, each walked in turn)."""
    return (*((1, d) for d in parts[:-1]), (0, parts[-1]))


def _shown(uri: str) -> str:
    return uri[5:] if uri.startswith("file:") else uri


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
                out.articles.append(((i, (), 0), uri))
            else:
                sources.append(((i, (), 0), uri, Source(Path(_shown(uri)), slug_of_name(name))))
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
                out.articles.append((order, uri))
            else:
                sources.append((order, uri, Source(Path(_shown(uri)), slug_of_name(parts[-1]),
                                                   rel="/".join(parts))))
    assign_identities([src for _, _, src in sources])
    for order, uri, src in sources:
        if src.problem:
            out.problems.append(src.problem)
        else:
            out.texts.append((order, uri, src.slug))
    return out


def read_items(spark: Any, listing: Listing, partitions: int) -> Any:
    """RDD of (order, doc, text, error): one per document; an unreadable one carries its
    one-line error instead of text (it is reported, the others go on)."""
    sc = spark.sparkContext
    rdds = []
    if listing.texts:
        known = sc.broadcast({uri: (order, doc) for order, uri, doc in listing.texts})
        files = sc.binaryFiles(",".join(uri for _, uri, _ in listing.texts),
                               minPartitions=partitions)
        rdds.append(files.map(lambda kv: _text_item(known.value[kv[0]], kv[0], kv[1])))
    for order, uri in listing.articles:
        lines = sc.textFile(uri, minPartitions=max(1, partitions // 2)).zipWithIndex()
        rdds.append(lines.flatMap(lambda kv, o=order, u=uri: _article_items(o, u, *kv)))
    if not rdds:
        return sc.emptyRDD()
    # binaryFiles packs small files into few splits: spread the documents over every core
    return (sc.union(rdds) if len(rdds) > 1 else rdds[0]).repartition(partitions)


def _text_item(known: tuple[Order, str], uri: str, data: bytes) -> Item:
    order, doc = known
    try:
        return order, doc, decode(bytes(data), _shown(uri)), None
    except InputError as exc:
        return order, doc, None, str(exc)


def slug_of_name(name: str) -> str:
    from pathlib import PurePath

    return slug_of(PurePath(name))  # type: ignore[arg-type]


def _article_items(order: Order, uri: str, line: str, n: int) -> Iterator[Item]:
    key = (order[0], order[1], n)
    if not line.strip():
        return
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        yield key, f"{uri}:{n + 1}", None, f"{uri}:{n + 1}: not valid JSON ({exc.msg})"
        return
    doc = next((data.get(k) for k in ("doc", "id", "slug") if isinstance(data, dict)
                and isinstance(data.get(k), str) and data.get(k)), None)
    text = data.get("text") if isinstance(data, dict) else None
    if doc is None or not isinstance(text, str):
        yield key, f"{uri}:{n + 1}", None, \
            f"{uri}:{n + 1}: an article needs a string 'doc' (or 'id') and a string 'text'"
        return
    if not text.strip():
        yield key, doc, None, f"{uri}:{n + 1}: empty text"
        return
    yield key, doc, text, None
