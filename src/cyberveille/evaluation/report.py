"""Text report: the eval result object -> one readable table per set (P, R, F1 and counts)."""

from __future__ import annotations

from typing import Any


def _row(name: str, entry: dict[str, Any]) -> str:
    return (
        f"  {name:<22} {entry.get('precision', 0.0):>6.3f} {entry.get('recall', 0.0):>6.3f} "
        f"{entry.get('f1', 0.0):>6.3f} {entry.get('tp', '-')!s:>6} "
        f"{entry.get('predicted', 0)!s:>6} {entry.get('gold', 0)!s:>6}"
    )


def format_report(result: dict[str, Any]) -> str:
    """Format the result of ``run_eval`` as a table per set and field.

    Args:
        result: the object ``run_eval`` returns.

    Returns:
        The report text (no trailing newline).
    """
    lines: list[str] = []
    header = f"  {'field':<22} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'pred':>6} {'gold':>6}"
    for set_name, data in result.get("sets", {}).items():
        lines.append(f"== {set_name}: {data.get('documents', 0)} documents")
        if data.get("scorer") is None and not data.get("fields"):
            lines.append("  (no scorer for this set)")
        fields = data.get("fields", {})
        if fields:
            lines.append(header)
        for name, entry in fields.items():
            lines.append(_row(name, entry))
            if "supported" in entry:
                lines.append(_row(f"  {name} (supported)", entry["supported"]))
            extras = [
                f"{k}={entry[k]}"
                for k in ("accuracy", "macro_f1", "coverage", "documents_scored")
                if k in entry
            ]
            if extras:
                lines.append("    " + ", ".join(extras))
        grouping = data.get("grouping")
        if grouping:
            lines.append(
                "  grouping over {items} items ({gold_clusters} gold / {predicted_clusters} "
                "predicted clusters, {unaligned} unaligned)".format(**grouping)
            )
            lines.append(
                "    B-cubed P {bcubed_precision:.3f} R {bcubed_recall:.3f} F1 {bcubed_f1:.3f}; "
                "pairwise P {pairwise_precision:.3f} R {pairwise_recall:.3f} F1 {pairwise_f1:.3f} "
                "({gold_pairs} gold / {predicted_pairs} predicted pairs)".format(**grouping)
            )
        failed = data.get("failed_documents")
        if failed:
            lines.append(f"  {failed} documents without predictions (counted as empty)")
    errors = result.get("gold_errors") or []
    if errors:
        lines.append(f"skipped {len(errors)} malformed gold lines:")
        lines.extend(f"  {e}" for e in errors[:20])
    pipeline_errors = result.get("pipeline_errors") or []
    if pipeline_errors:
        lines.append(f"{len(pipeline_errors)} pipeline errors:")
        lines.extend(f"  {e}" for e in pipeline_errors[:20])
    return "\n".join(lines)


def format_markdown(result: dict[str, Any]) -> str:
    """Format the result of ``run_eval`` as one Markdown table (set, field, P, R, F1, counts)."""
    lines = [
        "| set | docs | field | P | R | F1 | tp | predicted | gold |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for set_name, data in result.get("sets", {}).items():
        documents = data.get("documents", 0)
        for name, entry in data.get("fields", {}).items():
            extras = [f"{k.replace('_', '-')} {entry[k]:.3f}" for k in ("macro_f1",) if k in entry]
            if "accuracy" in entry and "macro_f1" in entry:
                extras.insert(0, f"accuracy {entry['accuracy']:.3f}")
            rows = [(f"{name} ({', '.join(extras)})" if extras else name, entry)]
            if "supported" in entry:
                rows.append((f"{name} (supported)", entry["supported"]))
            for label, values in rows:
                lines.append(
                    f"| {set_name} | {documents} | {label} | {values.get('precision', 0.0):.3f} "
                    f"| {values.get('recall', 0.0):.3f} | {values.get('f1', 0.0):.3f} "
                    f"| {values.get('tp', '-')} | {values.get('predicted', 0)} "
                    f"| {values.get('gold', 0)} |"
                )
        grouping = data.get("grouping")
        if grouping:
            lines.append(
                f"| {set_name} | {documents} | grouping B-cubed F1 / pairwise F1 "
                f"| | | {grouping['bcubed_f1']:.3f} / {grouping['pairwise_f1']:.3f} "
                f"| | {grouping['predicted_clusters']} clusters "
                f"| {grouping['gold_clusters']} clusters |"
            )
    return "\n".join(lines)
