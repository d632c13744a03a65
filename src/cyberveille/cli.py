"""Command line: thin commands over the library (run, incidents, show, export, eval, kb)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from cyberveille import __version__

Handler = Callable[[argparse.Namespace], int]

EXAMPLES = {
    "run": "cyberveille run examples/ --db out/cyberveille.sqlite",
    "incidents": "cyberveille incidents --sponsor China --since 2021-01-01 --details",
    "show": "cyberveille show 3f2a9c",
    "export": "cyberveille export stix -o out/cyberveille.stix.json",
    "eval": "cyberveille eval ../shared/eval/seeds.jsonl --json out/eval.json",
    "kb": "cyberveille kb show APT40",
}


def _db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        help="SQLite file or SQLAlchemy URL (default: $CYBERVEILLE_DB or the user data directory)",
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

    progress = sys.stderr.isatty() if args.progress is None else args.progress
    with _open_store(args) as store:
        pipeline = Pipeline(store)
        paths = list(args.paths)
        total = count_inputs([p for p in paths if p != "-"]) if progress else None
        report = pipeline.run(
            iter_documents(paths, stdin=sys.stdin), progress=progress, total=total
        )
    for error in report.errors:
        print(f"skipped {error.origin}: {error.message}", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(report.summary())
    return 0 if report.added or report.existing or not report.errors else 1


# -- incidents / show -------------------------------------------------------------------


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _ids_for(kb, name: str | None) -> set[str]:  # type: ignore[no-untyped-def]
    if not name:
        return set()
    ids = {e.id for e in kb.lookup(name)}
    if len(name) == 2 and name.isalpha():
        ids.add(f"country:{name.upper()}")
    return ids or {f"text:{name}"}


def cmd_incidents(args: argparse.Namespace) -> int:
    """List incidents, filtered by actor, sponsor, accuser and dates."""
    from cyberveille.facts import summarize

    kb = _kb()
    actor_ids, sponsor_ids, accuser_ids = (
        _ids_for(kb, n) for n in (args.actor, args.sponsor, args.accuser)
    )
    since, until = _parse_date(args.since), _parse_date(args.until)
    rows = []
    with _open_store(args) as store:
        for incident in store.incidents():
            if since and incident.last_seen and incident.last_seen < since:
                continue
            if until and incident.first_seen and incident.first_seen > until:
                continue
            view = store.incident_view(incident.id)
            if view is None:
                continue
            facts = summarize(view, kb.get)
            if actor_ids and not actor_ids & {f.value for f in facts.actors}:
                continue
            sponsors = {f.value for f in facts.sponsor_states + facts.sponsor_agencies}
            if sponsor_ids and not sponsor_ids & sponsors:
                continue
            accusers = {a.accuser for a in facts.accusations} | {
                f"country:{c.accuser_country}"
                for a in facts.accusations
                for c in a.claims
                if c.accuser_country
            }
            if accuser_ids and not accuser_ids & accusers:
                continue
            rows.append((view, facts))
    if args.json:
        print(json.dumps([_incident_json(v, f) for v, f in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no incident matches")
        return 0
    for view, facts in rows:
        print(_incident_text(view, facts, details=args.details))
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


def _incident_json(view, facts) -> dict:  # type: ignore[no-untyped-def]
    incident = view.incident
    return {
        "id": incident.id,
        "title": incident.title,
        "type": incident.incident_type,
        "first_seen": incident.first_seen.isoformat() if incident.first_seen else None,
        "last_seen": incident.last_seen.isoformat() if incident.last_seen else None,
        "actors": [f.value for f in facts.actors],
        "sponsor_states": [f.value for f in facts.sponsor_states],
        "sponsor_agencies": [f.value for f in facts.sponsor_agencies],
        "accusations": [
            {
                "accuser": a.accuser,
                "accused": a.accused,
                "type": a.attribution_type,
                "modality": a.modality,
                "hedged_by_outlet": a.hedged_by_outlet,
            }
            for a in facts.accusations
        ],
        "victim_countries": [f.value for f in facts.victim_countries],
        "sectors": [f.value for f in facts.sectors],
        "victims": [f.value for f in facts.victims],
        "vectors": [f.value for f in facts.vectors],
        "figures": [f.value for f in facts.figures],
        "articles": [a.id for a in view.articles],
        "reasons": list(incident.reasons),
    }


def _find_incident(store, prefix: str):  # type: ignore[no-untyped-def]
    incident = store.incident(prefix)
    if incident is not None:
        return incident
    matches = [i for i in store.incidents() if i.id.startswith(prefix)]
    return matches[0] if len(matches) == 1 else None


def cmd_show(args: argparse.Namespace) -> int:
    """Print one incident with every fact and the sentence it came from."""
    from cyberveille.facts import attribution_timeline, summarize

    kb = _kb()
    with _open_store(args) as store:
        incident = _find_incident(store, args.id)
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
    """Export the store as a STIX 2.1 bundle."""
    from cyberveille.export.stix import build_bundle, validate_bundle, write_bundle

    kb = _kb()
    with _open_store(args) as store:
        views = [v for i in store.incidents() if (v := store.incident_view(i.id)) is not None]
    bundle = build_bundle(views, kb.get)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    write_bundle(bundle, output)
    errors = validate_bundle(output)
    for error in errors:
        print(f"stix validation: {error}", file=sys.stderr)
    print(f"wrote {len(bundle.objects)} STIX objects for {len(views)} incident(s) to {output}")
    return 1 if errors else 0


# -- eval -------------------------------------------------------------------------------


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
    incidents.add_argument("--actor", help="threat actor name or alias (e.g. APT40, Leviathan)")
    incidents.add_argument(
        "--sponsor", help="state or agency said to be behind (e.g. China, CN, MSS)"
    )
    incidents.add_argument("--accuser", help="who accuses (e.g. US, NCSC, 'European Union')")
    incidents.add_argument("--since", help="YYYY-MM-DD")
    incidents.add_argument("--until", help="YYYY-MM-DD")
    incidents.add_argument("--details", action="store_true", help="print each incident's facts")
    incidents.add_argument("--json", action="store_true", help="JSON output for scripts")
    _db_arg(incidents)

    show = add("show", cmd_show, "print one incident with every fact and the sentence it came from")
    show.add_argument("id", help="incident id or a unique prefix of it")
    _db_arg(show)

    export = add("export", cmd_export, "export the store (stix: a STIX 2.1 bundle)")
    export.add_argument("format", choices=["stix"], help="export format")
    export.add_argument("-o", "--output", required=True, help="output file")
    _db_arg(export)

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
