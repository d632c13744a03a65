"""Analyst control over grouping: merge two incidents, split one, move an article's part.

Each command records a ``Decision`` (store/decisions.py) naming article parts, never
incident ids, then carries it out with ``apply_decision``; ``reprocess`` replays the same
function after regrouping, so a decision survives new rules or a new knowledge base.
An incident changed by a decision has its dates, keys, title, type and articles remade
from the mentions it now holds, its description vector dropped (remade when next
needed) and the decision added to its reasons, so ``show`` says who moved what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from cyberveille.incidents import mention_keys
from cyberveille.kb.entity import Entity
from cyberveille.store import Store
from cyberveille.store.decisions import Decision, Part, add_decision, mention_id
from cyberveille.types import Incident, IncidentMention, content_id

Resolve = Callable[[str], Entity | None]


class DecisionError(ValueError):
    """An analyst command that cannot be carried out (unknown id, nothing to move...)."""


@dataclass(frozen=True)
class Outcome:
    """What applying one decision did: the incidents it changed, or why it could not."""

    decision: Decision
    changed: tuple[str, ...] = ()
    skipped: str | None = None

    def summary(self) -> str:
        if self.skipped:
            return f"decision #{self.decision.seq} not applied: {self.skipped}"
        ids = ", ".join(i[:12] for i in self.changed)
        return f"decision #{self.decision.seq} ({self.decision.action}) applied: {ids}"


def rebuilt(
    incident: Incident, mentions: list[IncidentMention], resolve: Resolve, reason: str
) -> Incident:
    """``incident`` remade from the mentions it now holds, ``reason`` added to its reasons."""
    dates = [m.date for m in mentions if m.date]
    keys = frozenset().union(*(mention_keys(m, resolve) for m in mentions))
    richest = max(mentions, key=lambda m: len(m.keys)) if mentions else None
    return replace(
        incident,
        title=richest.title if richest else incident.title,
        incident_type=next((m.incident_type for m in mentions if m.incident_type), None),
        first_seen=min(dates) if dates else None,
        last_seen=max(dates) if dates else None,
        mention_ids=tuple(m.id for m in mentions),
        article_ids=tuple(dict.fromkeys(m.article_id for m in mentions)),
        keys=keys,
        reasons=(*incident.reasons, reason),
    )


class Analyst:
    """Carries out decisions on a store's incidents."""

    def __init__(self, store: Store, resolve: Resolve) -> None:
        self.store = store
        self.resolve = resolve

    # -- the three commands: record, then apply --------------------------------------

    def merge(self, keep_id: str, other_id: str, note: str = "") -> Outcome:
        """Make ``other_id`` part of ``keep_id`` (which keeps its id)."""
        keep, other = self._incident(keep_id), self._incident(other_id)
        if keep.id == other.id:
            raise DecisionError("an incident cannot be merged with itself")
        decision = add_decision(
            self.store, "merge", self._parts_of(other), self._parts_of(keep), note
        )
        return self.apply(decision)

    def split(self, incident_id: str, parts: list[Part], note: str = "") -> Outcome:
        """Take ``parts`` out of an incident into a new one of their own."""
        incident = self._incident(incident_id)
        held = set(self._parts_of(incident))
        foreign = [p for p in parts if p not in held]
        if foreign:
            raise DecisionError(f"not in incident {incident.id[:12]}: {_names(foreign)}")
        if len(set(parts)) == len(held):
            raise DecisionError("splitting off every part would leave the incident empty")
        return self.apply(add_decision(self.store, "split", parts, [], note))

    def move(self, parts: list[Part], target_id: str, note: str = "") -> Outcome:
        """Move article parts into the incident ``target_id``."""
        target = self._incident(target_id)
        held = set(self._parts_of(target))
        parts = [p for p in parts if p not in held]
        if not parts:
            raise DecisionError(f"already in incident {target.id[:12]}")
        missing = [p for p in parts if self.store.incident_of_mention(mention_id(p)) is None]
        if missing:
            raise DecisionError(f"no incident holds {_names(missing)}")
        return self.apply(add_decision(self.store, "move", parts, self._parts_of(target), note))

    # -- applying (also what reprocess replays) ----------------------------------------

    def apply(self, decision: Decision) -> Outcome:
        """Carry out a decision on the incidents as they are now."""
        moving = [mid for mid in map(mention_id, decision.parts) if self._owner(mid)]
        if not moving:
            return Outcome(decision, skipped="none of its article parts is grouped any more")
        target = next(
            (owner for mid in map(mention_id, decision.anchors) if (owner := self._owner(mid))),
            None,
        )
        if decision.action != "split" and target is None:
            return Outcome(decision, skipped="the incident it named no longer exists")
        why = f"analyst decision #{decision.seq} ({decision.action}, {decision.made_at[:10]})"
        if decision.note:
            why += f": {decision.note}"
        if decision.action == "merge":
            assert target is not None
            sources = {o for mid in moving if (o := self._owner(mid)) and o != target}
            moving = [mid for src in sorted(sources) for mid in self._members(src)]
        elif target is not None:
            moving = [mid for mid in moving if self._owner(mid) != target]
        elif self._alone(moving):
            return Outcome(decision, skipped="its article parts are already on their own")
        if not moving:
            return Outcome(decision, skipped="its article parts are already together")
        return Outcome(decision, changed=self._regroup(moving, target, why))

    def _regroup(self, moving: list[str], target: str | None, why: str) -> tuple[str, ...]:
        """Move mentions into ``target`` (None: a new incident), remake every incident touched."""
        sources = sorted({o for mid in moving if (o := self._owner(mid)) is not None})
        if target is None:
            target = content_id("incident", "split", *sorted(moving))
            first = self._mentions(moving)[0]
            self.store.save_incident(
                Incident(
                    id=target,
                    title=first.title,
                    incident_type=first.incident_type,
                    first_seen=first.date,
                    last_seen=first.date,
                    mention_ids=tuple(moving),
                    article_ids=(first.article_id,),
                    keys=frozenset(),
                )
            )
            base = self.store.incident(target)
            taken = f"split off from {', '.join(s[:12] for s in sources)} by {why}"
        else:
            base = self.store.incident(target)
            assert base is not None
            base = replace(base, mention_ids=(*base.mention_ids, *moving))
            self.store.save_incident(base)
            taken = f"{why} (took {len(moving)} part(s) from {', '.join(s[:12] for s in sources)})"
        assert base is not None
        changed = [target]
        self.store.save_incident(
            rebuilt(base, self._mentions(base.mention_ids), self.resolve, taken)
        )
        for source in sources:
            remaining = self._members(source)
            if not remaining:
                self.store.delete_incident(source)
                continue
            old = self.store.incident(source)
            assert old is not None
            self.store.save_incident(
                rebuilt(old, self._mentions(remaining), self.resolve, f"parts taken out by {why}")
            )
            changed.append(source)
        self.store.delete_incident_vectors(changed)
        return tuple(changed)

    # -- reads --------------------------------------------------------------------------

    def _incident(self, prefix: str) -> Incident:
        found = self.store.find_incident(prefix)
        if found is None:
            raise DecisionError(f"no single incident with id starting {prefix!r}")
        return found

    def _owner(self, mid: str) -> str | None:
        return self.store.incident_of_mention(mid)

    def _alone(self, moving: list[str]) -> bool:
        """The mentions make up one whole incident by themselves."""
        owners = {self._owner(mid) for mid in moving}
        return len(owners) == 1 and set(self._members(owners.pop() or "")) == set(moving)

    def _members(self, incident_id: str) -> list[str]:
        incident = self.store.incident(incident_id)
        return list(incident.mention_ids) if incident else []

    def _mentions(self, ids: Iterable[str]) -> list[IncidentMention]:
        return self.store.incident_mentions_by_id(list(ids))

    def _parts_of(self, incident: Incident) -> list[Part]:
        mentions = self._mentions(incident.mention_ids)
        return [(m.article_id, m.index) for m in mentions]


def _names(parts: Iterable[Part]) -> str:
    return ", ".join(f"{a[:12]}:{i}" for a, i in parts)


def grouped_parts(store: Store, article_id: str, incident_id: str | None = None) -> list[Part]:
    """The grouped parts of an article, only those in ``incident_id`` when given."""
    found = [
        (m.article_id, m.index)
        for m in store.incident_mentions(article_id)
        if (owner := store.incident_of_mention(m.id)) is not None
        and (incident_id is None or owner == incident_id)
    ]
    if not found:
        where = f" in incident {incident_id[:12]}" if incident_id else ""
        raise DecisionError(f"article {article_id[:12]} has no grouped part{where}")
    return found
