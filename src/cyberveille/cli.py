"""Command line: thin commands over the library (run, incidents, show, export, actor, search,
trends, merge, split, move, decisions, reprocess, eval, kb)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import get_args

from cyberveille import __version__
from cyberveille.types import AttributionType, Modality

Handler = Callable[[argparse.Namespace], int]

EXAMPLES = {
    "run": "cyberveille run examples/ --db out/cyberveille.sqlite",
    "incidents": "cyberveille incidents --sponsor China --since 2021-01-01 --details",
    "show": "cyberveille show 3f2a9c",
    "export": "cyberveille export misp --sponsor China -o out/china.misp.json",
    "actor": "cyberveille actor APT40",
    "search": "cyberveille search 'securite de l etat'",
    "trends": "cyberveille trends --by sponsor --per year --chart out/trends.png",
    "merge": "cyberveille merge 3f2a9c 81be07 --note 'same Exchange campaign'",
    "split": "cyberveille split 3f2a9c 5d10e2 --note 'a different intrusion'",
    "move": "cyberveille move 5d10e2:1 --to 81be07",
    "decisions": "cyberveille decisions",
    "reprocess": "cyberveille reprocess --progress",
    "eval": "cyberveille eval ../shared/eval/seeds.jsonl --json out/eval.json",
    "kb": "cyberveille kb show APT40",
}


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help="SQLite file or SQLAlchemy URL (default: $CYBERVEILLE_DB or the user data directory)",
    )


def _format_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["table", "json", "csv"],
        default="table",
        help="table for people (default), json or csv for scripts",
    )


def _open_store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from cyberveille.store import Store, default_db_path

    return Store.open(args.db or default_db_path())


def _kb():  # type: ignore[no-untyped-def]
    from cyberveille.kb import load_kb

    return load_kb()


# -- run ---------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    """Ingest files/folders/stdin, extract, group and store."""
    from cyberveille.pipeline import Pipeline
    from cyberveille.sources import count_inputs, iter_documents
    from cyberveille.store.search import index_evidence

    progress = sys.stderr.isatty() if args.progress is None else args.progress
    with _open_store(args) as store:
        pipeline = Pipeline(store)
        paths = list(args.paths)
        total = count_inputs([p for p in paths if p != "-"]) if progress else None
        report = pipeline.run(
            iter_documents(paths, stdin=sys.stdin), progress=progress, total=total
        )
        index_evidence(store)  # the full-text index of `cyberveille search`
    for error in report.errors:
        print(f"skipped {error.origin}: {error.message}", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(report.summary())
    return 0 if report.added or report.existing or not report.errors else 1


# -- incidents / show -------------------------------------------------------------------


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _query_args(parser: argparse.ArgumentParser) -> None:
    """The incident filters shared by ``incidents``, ``export`` and ``trends``."""
    parser.add_argument("--actor", help="threat actor name or alias (e.g. APT40, Leviathan)")
    parser.add_argument("--sponsor", help="state or agency said to be behind (e.g. China, CN, MSS)")
    parser.add_argument("--accuser", help="who accuses (e.g. US, NCSC, 'European Union')")
    parser.add_argument(
        "--attribution-type",
        choices=list(get_args(AttributionType)),
        help="kind of public attribution",
    )
    parser.add_argument(
        "--modality", choices=list(get_args(Modality)), help="how firm the attribution is"
    )
    parser.add_argument("--victim-country", help="targeted country (e.g. France, FR)")
    parser.add_argument("--sector", help="targeted sector (MISP sector name, e.g. Government)")
    parser.add_argument("--vector", help="product, CVE or malware used (e.g. CVE-2021-26855)")
    parser.add_argument("--since", help="YYYY-MM-DD")
    parser.add_argument("--until", help="YYYY-MM-DD")


def _query(args: argparse.Namespace, kb):  # type: ignore[no-untyped-def]
    from cyberveille.query import build_query

    return build_query(
        kb,
        actor=getattr(args, "actor", None),
        sponsor=getattr(args, "sponsor", None),
        accuser=getattr(args, "accuser", None),
        attribution_type=getattr(args, "attribution_type", None),
        modality=getattr(args, "modality", None),
        victim_country=getattr(args, "victim_country", None),
        sector=getattr(args, "sector", None),
        vector=getattr(args, "vector", None),
        since=_parse_date(getattr(args, "since", None)),
        until=_parse_date(getattr(args, "until", None)),
    )


INCIDENT_COLUMNS = ("id", "first_seen", "type", "actors", "sponsors", "accused_by", "title")


def cmd_incidents(args: argparse.Namespace) -> int:
    """List incidents, filtered by actor, sponsor, accuser, attribution, victim, vector, dates."""
    from cyberveille.output import write_rows
    from cyberveille.query import incident_record, incident_row, select

    kb = _kb()
    with _open_store(args) as store:
        rows = list(select(store, kb.get, _query(args, kb)))
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print(json.dumps([incident_record(v, f) for v, f in rows], ensure_ascii=False, indent=2))
        return 0
    if fmt == "csv":
        flat = [incident_row(v, f) for v, f in rows]
        write_rows(flat, list(flat[0]) if flat else list(INCIDENT_COLUMNS), "csv", sys.stdout)
        return 0
    if not rows:
        print("no incident matches")
        return 0
    if args.details:
        for view, facts in rows:
            print(_incident_text(view, facts, details=True))
    else:
        table = [incident_row(v, f) | {"id": v.incident.id[:10]} for v, f in rows]
        write_rows(table, INCIDENT_COLUMNS, "table", sys.stdout)
    print(f"{len(rows)} incident(s)")
    return 0


def _names(facts) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(f.name for f in facts) or "-"


def _incident_text(view, facts, *, details: bool) -> str:  # type: ignore[no-untyped-def]
    incident = view.incident
    when = incident.first_seen.isoformat() if incident.first_seen else "undated"
    lines = [f"[{incident.id[:10]}] {incident.title}  ({when}, {len(view.articles)} article(s))"]
    if not details:
        return lines[0]
    lines.append(f"  actors:    {_names(facts.actors)}")
    lines.append(f"  behind:    {_names(facts.sponsor_states + facts.sponsor_agencies)}")
    accusers = sorted(
        {f"{a.accuser_name} ({a.attribution_type}, {a.modality})" for a in facts.accusations}
    )
    lines.append(f"  accused by: {', '.join(accusers) or '-'}")
    lines.append(f"  victims:   {_names(facts.victim_countries + facts.sectors + facts.victims)}")
    lines.append(f"  vectors:   {_names(facts.vectors)}")
    if facts.figures:
        lines.append(f"  figures:   {_names(facts.figures)}")
    sources = [a.title or a.url or a.origin for a in view.articles]
    lines.append("  sources:   " + "; ".join(s[:70] for s in sources))
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    """Print one incident with every fact and the sentence it came from."""
    from cyberveille.facts import attribution_timeline, summarize

    kb = _kb()
    with _open_store(args) as store:
        incident = store.find_incident(args.id)
        if incident is None:
            print(f"no single incident with id starting {args.id!r}", file=sys.stderr)
            return 1
        view = store.incident_view(incident.id)
        assert view is not None
        copies = {a.id: store.duplicates(a.id) for a in view.articles}
    facts = summarize(view, kb.get)
    print(_incident_text(view, facts, details=True))
    print(f"  type:      {incident.incident_type or '-'}")
    if facts.conflicts:
        print("  disagreements: " + "; ".join(facts.conflicts))
    print("\nwhy these articles belong together:")
    for reason in incident.reasons:
        print(f"  - {reason}")
    timeline = attribution_timeline(view, kb.get)
    if timeline:
        print("\nattribution timeline (date, accuser, accused, type, modality, source):")
        for e in timeline:
            print(
                f"  {e.day or '????-??-??'}  {e.accuser} -> {e.accused}  {e.attribution_type}"
                f"  {e.modality}  [{e.source[:40]}, article {e.article_id[:12]}]"
            )
    duplicated = {aid: ids for aid, ids in copies.items() if ids}
    if duplicated:
        print("\nnear-duplicate articles (the same story elsewhere; counted once):")
        for aid, ids in duplicated.items():
            print(f"  - {aid[:12]}: same story as {', '.join(i[:12] for i in ids)}")
    print("\nclaims, with their evidence:")
    titles = {a.id: (a.title or a.origin) for a in view.articles}
    for mention in view.mentions:
        print(
            f"\n  from {titles.get(mention.article_id, mention.article_id)[:80]}"
            f" (part {mention.index})"
        )
        for claim in mention.claims:
            print("   " + _claim_line(claim, kb.get))
            print(textwrap.indent(textwrap.fill(_highlight(claim), 96), "       > "))
    return 0


def _claim_line(claim, resolve) -> str:  # type: ignore[no-untyped-def]
    from cyberveille.facts import display_name

    def name(value: str | None) -> str:
        return display_name(value, resolve) if value else "?"

    if claim.kind == "attribution":
        hedge = ", hedged by the outlet" if claim.hedged_by_outlet else ""
        return (
            f"attribution: {name(claim.accuser) if claim.accuser else 'the outlet'}"
            f" -> {name(claim.subject)} "
            f"[{claim.attribution_type}, {claim.modality}{hedge}]"
        )
    if claim.kind == "impact":
        value = claim.value if claim.value is not None else "several"
        return f"impact: {claim.text} = {value} {claim.unit}"
    if claim.kind == "quote":
        return f"quote by {name(claim.subject)}: {claim.text[:80] if claim.text else ''}"
    if claim.kind == "date":
        return f"date: {claim.text} ({claim.date_start} .. {claim.date_end})"
    if claim.kind == "response":
        return f"response: {claim.text} by {name(claim.subject)}"
    return f"{claim.kind}: {name(claim.subject) if claim.subject else '-'} -> {name(claim.object)}"


def _highlight(claim) -> str:  # type: ignore[no-untyped-def]
    sentence = claim.evidence.sentence
    for cue in sorted(set(claim.evidence.cues), key=len, reverse=True):
        if cue and cue in sentence:
            sentence = sentence.replace(cue, f"[{cue}]", 1)
    return sentence


# -- export -----------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    """Export the store, or a query's result: STIX 2.1, MISP events, JSONL or CSV."""
    from cyberveille.query import select

    kb = _kb()
    output = Path(args.output)
    with _open_store(args) as store:
        views = [v for v, _ in select(store, kb.get, _query(args, kb))]
        if args.format in ("jsonl", "csv"):
            return _export_flat(args, store, kb, views, output)
    if args.format == "misp":
        from cyberveille.export.misp import build_events, write_events

        events = build_events(views, kb.get)
        write_events(events, output)
        print(f"wrote {len(events)} MISP event(s) to {output}")
        return 0
    from cyberveille.export.stix import build_bundle, validate_bundle, write_bundle

    bundle = build_bundle(views, kb.get)
    write_bundle(bundle, output)
    errors = validate_bundle(output)
    for error in errors:
        print(f"stix validation: {error}", file=sys.stderr)
    print(f"wrote {len(bundle.objects)} STIX objects for {len(views)} incident(s) to {output}")
    return 1 if errors else 0


def _export_flat(args, store, kb, views, output: Path) -> int:  # type: ignore[no-untyped-def]
    from cyberveille.export.flat import COLUMNS, WHAT, rows_for, write_rows

    whats = WHAT if args.what == "all" else (args.what,)
    for what in whats:
        path = output / f"{what}.{args.format}" if args.what == "all" else output
        n = write_rows(rows_for(what, store, kb.get, views), COLUMNS[what], args.format, path)
        print(f"wrote {n} {what} row(s) to {path}")
    return 0


# -- actor / search / trends -------------------------------------------------------------


def cmd_actor(args: argparse.Namespace) -> int:
    """Profile of one actor: aliases, sponsor, incidents over time, who accused it."""
    from cyberveille.actor import profile, resolve_actor
    from cyberveille.output import write_rows
    from cyberveille.query import select

    kb = _kb()
    found = resolve_actor(kb, args.name)
    if not found:
        print(
            f"no actor, agency or state named {args.name!r} in the knowledge base", file=sys.stderr
        )
        return 1
    if len(found) > 1 and not kb.lookup(args.name):
        print(f"{args.name!r} may be: " + ", ".join(f"{e.name} ({e.id})" for e in found[:20]))
        return 1
    entity = found[0]
    with _open_store(args) as store:
        prof = profile(entity, select(store, kb.get), kb)
    if args.format == "json":
        data = {
            "id": entity.id,
            "name": entity.name,
            "kind": entity.kind,
            "aliases": list(entity.aliases),
            "country": entity.country,
            "sponsor": entity.sponsor,
            "sponsors_seen": list(prof.sponsors_seen),
            "per_year": prof.per_year,
            "incidents": [{"date": d, "id": i, "title": t} for d, i, t in prof.incidents],
            "accusations": [a.__dict__ for a in prof.accusations],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    rows = [a.__dict__ | {"incident_id": a.incident_id[:10]} for a in prof.accusations]
    if args.format == "csv":
        write_rows(rows, list(AccusationColumns), "csv", sys.stdout)
        return 0
    print(f"{entity.name}  ({entity.id}, {entity.kind})")
    if entity.aliases:
        print("  aliases:  " + textwrap.shorten(", ".join(entity.aliases), 200))
    print(f"  sponsor (KB):    {prof.sponsor or entity.country or '-'}")
    print(f"  sponsors (news): {', '.join(prof.sponsors_seen) or '-'}")
    per_year = ", ".join(f"{y}: {n}" for y, n in prof.per_year.items())
    print(f"  incidents: {len(prof.incidents)} ({per_year or 'none'})")
    for when, iid, title in prof.incidents:
        print(f"    {when}  [{iid[:10]}] {title}")
    print("  accused by:")
    if rows:
        table = [{k: r[k] for k in AccusationColumns if k != "sentence"} for r in rows]
        print(
            textwrap.indent(
                _table(table, [c for c in AccusationColumns if c != "sentence"]), "    "
            )
        )
    else:
        print("    nobody, in the stored articles")
    return 0


AccusationColumns = (
    "date",
    "accuser",
    "accused",
    "attribution_type",
    "modality",
    "hedged_by_outlet",
    "incident_id",
    "sentence",
)


def _table(rows, columns) -> str:  # type: ignore[no-untyped-def]
    from cyberveille.output import format_table

    return format_table(rows, columns)


def cmd_search(args: argparse.Namespace) -> int:
    """Full-text search over the evidence sentences (accents and case folded)."""
    from cyberveille.output import write_rows
    from cyberveille.store.search import search

    with _open_store(args) as store:
        hits = search(store, args.text, limit=args.limit)
        titles = {h.article_id: store.article(h.article_id) for h in hits}
    rows = [
        {
            "article_id": h.article_id,
            "sentence_index": h.sentence_index,
            "published": (
                a.published.isoformat() if (a := titles[h.article_id]) and a.published else ""
            ),
            "source": (a.title or a.origin) if a else "",
            "sentence": h.sentence,
        }
        for h in hits
    ]
    if args.format != "table":
        write_rows(rows, list(SEARCH_COLUMNS), args.format, sys.stdout)
        return 0
    for row in rows:
        print(f"{row['published'] or 'undated'}  {str(row['source'])[:70]}")
        print(textwrap.indent(textwrap.fill(str(row["sentence"]), 96), "    > "))
    print(f"{len(rows)} sentence(s)")
    return 0


SEARCH_COLUMNS = ("article_id", "sentence_index", "published", "source", "sentence")


def cmd_trends(args: argparse.Namespace) -> int:
    """Incidents per year or month by sponsor, accuser, attribution type or incident type."""
    from cyberveille.output import write_rows
    from cyberveille.query import select
    from cyberveille.trends import count, near_duplicate_incidents

    kb = _kb()
    with _open_store(args) as store:
        items = list(select(store, kb.get, _query(args, kb)))
        trends = count(items, args.by, args.per, near_duplicate_incidents(store))
    write_rows(trends.rows(), trends.columns(), args.format, sys.stdout)
    if args.format == "table":
        counted = sum(trends.totals.values())
        note = f", {trends.undated} undated left out" if trends.undated else ""
        print(f"{counted} incident(s) counted once each, by {args.by} per {args.per}{note}")
    if args.chart:
        from cyberveille.chart import write_chart

        path = write_chart(trends, Path(args.chart))
        print(f"wrote {path}", file=sys.stderr if args.format != "table" else sys.stdout)
    return 0


# -- eval -------------------------------------------------------------------------------


def _parts(store, values: Sequence[str], incident_id: str | None):  # type: ignore[no-untyped-def]
    """Article parts named ARTICLE (its grouped parts) or ARTICLE:N (one part)."""
    from cyberveille.analyst import DecisionError, grouped_parts

    parts: list[tuple[str, int]] = []
    for value in values:
        prefix, _, number = value.partition(":")
        article = store.find_article(prefix)
        if article is None:
            raise DecisionError(f"no single article with id starting {prefix!r}")
        if number:
            if not number.isdigit():
                raise DecisionError(f"{value!r}: the part after ':' must be a part number")
            parts.append((article.id, int(number)))
        else:
            parts.extend(grouped_parts(store, article.id, incident_id))
    return parts


def _decide(args: argparse.Namespace, action: str) -> int:
    """Record and carry out one analyst decision, then print what changed."""
    from cyberveille.analyst import Analyst, DecisionError

    kb = _kb()
    with _open_store(args) as store:
        analyst = Analyst(store, kb.get)
        try:
            if action == "merge":
                outcome = analyst.merge(args.keep, args.other, args.note)
            elif action == "split":
                incident = store.find_incident(args.incident)
                if incident is None:
                    raise DecisionError(f"no single incident with id starting {args.incident!r}")
                parts = _parts(store, args.parts, incident.id)
                outcome = analyst.split(incident.id, parts, args.note)
            else:
                outcome = analyst.move(_parts(store, args.parts, None), args.to, args.note)
        except DecisionError as exc:
            print(f"cyberveille {action}: {exc}", file=sys.stderr)
            return 1
    print(outcome.summary())
    return 0 if outcome.skipped is None else 1


def cmd_merge(args: argparse.Namespace) -> int:
    """Merge the second incident into the first."""
    return _decide(args, "merge")


def cmd_split(args: argparse.Namespace) -> int:
    """Split article parts off an incident into a new one."""
    return _decide(args, "split")


def cmd_move(args: argparse.Namespace) -> int:
    """Move article parts to another incident."""
    return _decide(args, "move")


def cmd_decisions(args: argparse.Namespace) -> int:
    """List the analyst's decisions, or forget one."""
    from cyberveille.store.decisions import decisions, forget_decision

    with _open_store(args) as store:
        if args.forget is not None:
            if not forget_decision(store, args.forget):
                print(f"no decision #{args.forget}", file=sys.stderr)
                return 1
            print(f"decision #{args.forget} forgotten; run `cyberveille reprocess` to undo it")
            return 0
        found = decisions(store)
    for decision in found:
        print(decision.summary())
    if not found:
        print("no analyst decision yet")
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Extract and group every stored article again, then replay the analyst's decisions."""
    from cyberveille.pipeline import Pipeline

    progress = sys.stderr.isatty() if args.progress is None else args.progress
    with _open_store(args) as store:
        report = Pipeline(store, kb=_kb()).reprocess(progress=progress)
    print(report.summary())
    for error in report.run.errors:
        print(f"  {error}", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Score the pipeline on gold JSONL files."""
    from cyberveille.evaluate import format_report, run_eval
    from cyberveille.evaluation.report import format_markdown

    result = run_eval(
        [Path(p) for p in args.files], db=Path(args.db) if args.db else None, limit=args.limit
    )
    print(format_report(result))
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    if args.markdown:
        out = Path(args.markdown)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(format_markdown(result) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


# -- kb ---------------------------------------------------------------------------------


def cmd_kb(args: argparse.Namespace) -> int:
    """Show, search or describe the knowledge base."""
    kb = _kb()
    if args.kb_command == "info":
        print(f"version: {kb.version}")
        for kind, count in sorted(kb.counts().items()):
            print(f"  {kind:14} {count}")
        return 0
    if args.kb_command == "show":
        found = kb.lookup(args.name) or ([e] if (e := kb.get(args.name)) else [])
        if not found:
            print(f"no identity named {args.name!r}", file=sys.stderr)
            return 1
        for entity in found:
            print(f"{entity.id}  {entity.name}  ({entity.kind})")
            if entity.country:
                print(f"  country: {entity.country}")
            if entity.sponsor:
                print(f"  sponsor: {entity.sponsor}")
            if entity.mitre_id:
                print(f"  MITRE ATT&CK: {entity.mitre_id}")
            if entity.aliases:
                print("  aliases: " + ", ".join(entity.aliases))
            for ref in entity.refs[:8]:
                print(f"  ref: {ref}")
        return 0
    needle = args.text.casefold()
    hits = [
        e
        for e in kb.entities()
        if needle in e.name.casefold() or any(needle in a.casefold() for a in e.aliases)
    ]
    for entity in hits[:50]:
        print(f"{entity.id}  {entity.name}  ({entity.kind})")
    print(f"{len(hits)} match(es)")
    return 0


# -- parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (each has help text and an example)."""
    parser = argparse.ArgumentParser(
        prog="cyberveille",
        description="Reads news about cyberattacks and keeps a source-linked record of incidents "
        "and of who is blamed for them.",
    )
    parser.add_argument("--version", action="version", version=f"cyberveille {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=f"example: {EXAMPLES[name]}",
        )
        command.set_defaults(handler=handler)
        return command

    run = add(
        "run", cmd_run, "ingest files, folders or stdin ('-'), extract, group into incidents, store"
    )
    run.add_argument(
        "paths", nargs="+", help=".txt, .html, .json, .jsonl files or folders; '-' for stdin"
    )
    run.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar"
    )
    _db_arg(run)

    incidents = add("incidents", cmd_incidents, "list incidents, with filters")
    _query_args(incidents)
    incidents.add_argument("--details", action="store_true", help="print each incident's facts")
    _format_arg(incidents)
    incidents.add_argument("--json", action="store_true", help="same as --format json")
    _db_arg(incidents)

    show = add("show", cmd_show, "print one incident with every fact and the sentence it came from")
    show.add_argument("id", help="incident id or a unique prefix of it")
    _db_arg(show)

    export = add(
        "export",
        cmd_export,
        "export the store or a query's result: stix (STIX 2.1 bundle), misp (MISP events), "
        "jsonl or csv (flat rows)",
    )
    export.add_argument("format", choices=["stix", "misp", "jsonl", "csv"], help="export format")
    export.add_argument(
        "-o", "--output", required=True, help="output file (a folder for jsonl/csv --what all)"
    )
    export.add_argument(
        "--what",
        choices=["incidents", "claims", "articles", "all"],
        default="all",
        help="jsonl/csv: which rows (default all: one file each in the output folder)",
    )
    _query_args(export)
    _db_arg(export)

    actor = add(
        "actor", cmd_actor, "profile of an actor: aliases, sponsor, incidents over time, accusers"
    )
    actor.add_argument("name", help="a name or alias the knowledge base knows (APT40, Leviathan)")
    _format_arg(actor)
    _db_arg(actor)

    search = add(
        "search", cmd_search, "full-text search over evidence sentences (accents and case folded)"
    )
    search.add_argument("text", help="words that must all appear (any case, accents optional)")
    search.add_argument("--limit", type=int, default=50, help="at most N sentences (default 50)")
    _format_arg(search)
    _db_arg(search)

    trends = add(
        "trends",
        cmd_trends,
        "incidents per year or month by sponsor, accuser, attribution type or incident type",
    )
    trends.add_argument(
        "--by",
        choices=["sponsor", "accuser", "attribution-type", "incident-type"],
        default="sponsor",
        help="what to group by (default sponsor)",
    )
    trends.add_argument("--per", choices=["year", "month"], default="year", help="period")
    trends.add_argument("--chart", help="also draw a stacked bar chart (.png or .svg)")
    _query_args(trends)
    _format_arg(trends)
    _db_arg(trends)

    note_help = "why (kept with the decision and shown by `show`)"
    merge = add("merge", cmd_merge, "merge incident OTHER into incident KEEP (a kept decision)")
    merge.add_argument("keep", help="id (or prefix) of the incident that stays")
    merge.add_argument("other", help="id (or prefix) of the incident merged into it")
    merge.add_argument("--note", default="", help=note_help)
    _db_arg(merge)

    split = add(
        "split", cmd_split, "take article parts out of an incident into a new one (a kept decision)"
    )
    split.add_argument("incident", help="id (or prefix) of the incident to split")
    split.add_argument(
        "parts", nargs="+", help="ARTICLE (its parts in the incident) or ARTICLE:N (part N)"
    )
    split.add_argument("--note", default="", help=note_help)
    _db_arg(split)

    move = add("move", cmd_move, "move article parts to another incident (a kept decision)")
    move.add_argument(
        "parts", nargs="+", help="ARTICLE (all its grouped parts) or ARTICLE:N (part N)"
    )
    move.add_argument("--to", required=True, help="id (or prefix) of the receiving incident")
    move.add_argument("--note", default="", help=note_help)
    _db_arg(move)

    decided = add(
        "decisions", cmd_decisions, "list the analyst's merge/split/move decisions, in order"
    )
    decided.add_argument(
        "--forget", type=int, metavar="N", help="delete decision N (undone at the next reprocess)"
    )
    _db_arg(decided)

    reprocess = add(
        "reprocess",
        cmd_reprocess,
        "extract every stored article again (current rules and knowledge base), regroup, "
        "replay the analyst's decisions",
    )
    reprocess.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=None, help="progress bar"
    )
    _db_arg(reprocess)

    evaluate = add(
        "eval", cmd_eval, "score the pipeline on gold JSONL files (see docs/evaluation.md)"
    )
    evaluate.add_argument("files", nargs="+", help="gold files in the shape of shared/eval/*.jsonl")
    evaluate.add_argument("--json", help="write the scores as JSON to this file")
    evaluate.add_argument("--markdown", help="write the scores as a Markdown table to this file")
    evaluate.add_argument("--limit", type=int, help="at most N documents per set")
    evaluate.add_argument("--db", help="keep the evaluation store in this SQLite file")

    kb = add("kb", cmd_kb, "show, search or describe the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_commands = {
        "show": ("show an identity with its aliases", "cyberveille kb show Leviathan"),
        "search": ("identities whose name or alias contains TEXT", "cyberveille kb search typhoon"),
        "info": ("the knowledge base's version and counts per kind", "cyberveille kb info"),
    }
    kb_parsers = {
        name: kb_sub.add_parser(name, help=text, description=text, epilog=f"example: {example}")
        for name, (text, example) in kb_commands.items()
    }
    kb_parsers["show"].add_argument("name", help="a name or alias (APT40, Leviathan, MSS, Pékin)")
    kb_parsers["search"].add_argument("text", help="text to look for in names and aliases")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``cyberveille`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Handler = args.handler
    try:
        return handler(args)
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
