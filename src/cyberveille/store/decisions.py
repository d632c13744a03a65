"""Analyst decisions kept in the store: append, list in order, forget one (no other logic)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import delete, insert, select

from cyberveille.store import schema as s
from cyberveille.store.store import Store
from cyberveille.types import content_id

Action = Literal["merge", "split", "move"]
ACTIONS: tuple[Action, ...] = ("merge", "split", "move")
Part = tuple[str, int]  # (article id, part number): one incident mention


def mention_id(part: Part) -> str:
    """The ``IncidentMention.id`` of an article part."""
    return content_id(part[0], str(part[1]))


@dataclass(frozen=True)
class Decision:
    """One analyst decision: ``parts`` move (merge: their whole incidents) to the incident
    holding ``anchors``, or (split) into an incident of their own."""

    seq: int
    action: Action
    parts: tuple[Part, ...]
    anchors: tuple[Part, ...]
    note: str
    made_at: str

    def summary(self) -> str:
        """One line for people."""
        what = ", ".join(f"{a[:12]}:{i}" for a, i in self.parts)
        where = ", ".join(f"{a[:12]}:{i}" for a, i in self.anchors[:3])
        more = f" (+{len(self.anchors) - 3})" if len(self.anchors) > 3 else ""
        target = f" -> with {where}{more}" if self.anchors else " -> on their own"
        note = f"  # {self.note}" if self.note else ""
        return f"#{self.seq} {self.made_at[:19]} {self.action} {what}{target}{note}"


def _parts(value: str) -> tuple[Part, ...]:
    return tuple((str(a), int(i)) for a, i in json.loads(value))


def add_decision(
    store: Store,
    action: Action,
    parts: list[Part],
    anchors: list[Part],
    note: str = "",
    now: datetime | None = None,
) -> Decision:
    """Append a decision and return it with its sequence number."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
    if not parts:
        raise ValueError("a decision must name at least one article part")
    made_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    row = {
        "action": action,
        "parts": json.dumps([list(p) for p in parts]),
        "anchors": json.dumps([list(p) for p in anchors]),
        "note": note,
        "made_at": made_at,
    }
    with store._writing() as conn:
        key = conn.execute(insert(s.decisions).values(**row)).inserted_primary_key
    assert key is not None
    return Decision(int(key[0]), action, tuple(parts), tuple(anchors), note, made_at)


def decisions(store: Store) -> list[Decision]:
    """Every decision, in the order they were made."""
    d = s.decisions
    with store._reading() as conn:
        rows = conn.execute(select(d).order_by(d.c.seq)).all()
    return [
        Decision(int(r.seq), r.action, _parts(r.parts), _parts(r.anchors), r.note or "", r.made_at)
        for r in rows
    ]


def forget_decision(store: Store, seq: int) -> bool:
    """Delete a decision (takes effect at the next ``reprocess``); False when unknown."""
    with store._writing() as conn:
        done = conn.execute(delete(s.decisions).where(s.decisions.c.seq == seq)).rowcount
    return bool(done)
