"""Quality gate: dev-set scores and benchmark figures checked against pinned floors.

Contract: ``quality/floors.json`` holds the sha256 of each gold file the floors were
measured on and one entry per figure: ``set``, ``field``, ``metric`` (``precision``,
``recall``, ``f1``, ``accuracy``, ``macro_f1``, or a grouping/benchmark key), ``supported``
(read the supported-only figure), ``floor`` (the gate fails below it), ``pinned`` (the
value first pinned), ``target`` (the issue's acceptance threshold, reported, not
enforced) and ``issue``. A floor below its ``pinned`` value needs a ``reason``: floors go
down only with a written reason. ``check`` compares an evaluation result (the JSON of
``cyberveille eval``) and benchmark figures with the floors.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Room below the measured value when pinning (figures are deterministic; this only
#: absorbs float rounding between platforms).
PIN_MARGIN = 0.002


class GateError(ValueError):
    """The floors file is malformed or inconsistent."""


@dataclass(frozen=True)
class Floor:
    """One pinned figure."""

    set: str
    field: str
    metric: str
    floor: float
    pinned: float
    target: float | None = None
    supported: bool = False
    issue: int | None = None
    reason: str | None = None

    @property
    def name(self) -> str:
        """``set/field[ (supported)]/metric``."""
        supported = " (supported)" if self.supported else ""
        return f"{self.set}/{self.field}{supported}/{self.metric}"


@dataclass(frozen=True)
class Spec:
    """The floors file: gold hashes and floors."""

    gold: dict[str, str]
    floors: tuple[Floor, ...]


@dataclass(frozen=True)
class Check:
    """One floor checked: ``value`` None when the result lacks the figure."""

    floor: Floor
    value: float | None

    @property
    def ok(self) -> bool:
        """At or above the floor."""
        return self.value is not None and self.value >= self.floor.floor

    @property
    def meets_target(self) -> bool | None:
        """At or above the issue's threshold (None when it has none)."""
        if self.floor.target is None:
            return None
        return self.value is not None and self.value >= self.floor.target

    def as_dict(self) -> dict[str, Any]:
        """JSON shape for the gate's report."""
        return {
            "figure": self.floor.name,
            "value": self.value,
            "floor": self.floor.floor,
            "target": self.floor.target,
            "ok": self.ok,
            "meets_target": self.meets_target,
            "issue": self.floor.issue,
        }


def load_spec(path: Path) -> Spec:
    """Read and validate the floors file.

    Raises:
        GateError: a missing key, a floor above its pinned value by mistake, or a floor
            lowered below its pinned value without a reason.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GateError(f"{path}: cannot read the floors file: {exc}") from exc
    floors: list[Floor] = []
    for i, entry in enumerate(data.get("floors", [])):
        try:
            floor = Floor(
                set=str(entry["set"]),
                field=str(entry["field"]),
                metric=str(entry["metric"]),
                floor=float(entry["floor"]),
                pinned=float(entry["pinned"]),
                target=None if entry.get("target") is None else float(entry["target"]),
                supported=bool(entry.get("supported", False)),
                issue=entry.get("issue"),
                reason=entry.get("reason"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise GateError(f"{path}: floor #{i} is malformed: {exc}") from exc
        if floor.floor < floor.pinned - 1e-9 and not (floor.reason or "").strip():
            raise GateError(
                f"{path}: {floor.name} lowered from {floor.pinned} to {floor.floor} "
                "without a reason"
            )
        floors.append(floor)
    gold = {str(k): str(v) for k, v in (data.get("gold") or {}).items()}
    return Spec(gold=gold, floors=tuple(floors))


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def changed_gold(spec: Spec, eval_dir: Path) -> list[str]:
    """Gold files whose content differs from the one the floors were measured on."""
    out = []
    for name, digest in sorted(spec.gold.items()):
        path = eval_dir / name
        if not path.is_file():
            out.append(f"{name}: missing")
        elif sha256_of(path) != digest:
            out.append(f"{name}: sha256 {sha256_of(path)[:12]} != pinned {digest[:12]}")
    return out


def value_of(figures: dict[str, Any], floor: Floor) -> float | None:
    """The figure a floor reads from an evaluation result merged with benchmark figures.

    ``figures["sets"][set]["fields"][field][metric]`` (``["supported"]`` in between for
    supported figures); ``field == "grouping"`` reads ``["grouping"][metric]``; set
    ``"bench"`` reads ``figures["bench"][field][metric]``.
    """
    try:
        if floor.set == "bench":
            entry = figures["bench"][floor.field]
        elif floor.field == "grouping":
            entry = figures["sets"][floor.set]["grouping"]
        else:
            entry = figures["sets"][floor.set]["fields"][floor.field]
            if floor.supported:
                entry = entry["supported"]
        value = entry[floor.metric]
    except (KeyError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def check(figures: dict[str, Any], spec: Spec) -> list[Check]:
    """Check every floor against the figures."""
    return [Check(floor, value_of(figures, floor)) for floor in spec.floors]


def pin(figures: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Raise floors to the measured values less ``PIN_MARGIN`` (never lower one).

    Args:
        figures: evaluation result merged with benchmark figures.
        data: the floors file as parsed JSON (updated copy returned).
    """
    out = json.loads(json.dumps(data))
    for entry in out.get("floors", []):
        floor = Floor(
            set=entry["set"],
            field=entry["field"],
            metric=entry["metric"],
            floor=float(entry.get("floor", 0.0)),
            pinned=float(entry.get("pinned", 0.0)),
            supported=bool(entry.get("supported", False)),
        )
        value = value_of(figures, floor)
        if value is None or floor.set == "bench":
            continue  # timings are not pinned: the benchmark's floor is set by hand
        candidate = round(max(0.0, value - PIN_MARGIN), 3)
        if "floor" not in entry or candidate > floor.floor:
            entry["floor"] = candidate
            # the highest value ever pinned stays: a floor raised back part of the way
            # keeps the reason it was lowered for until it reaches it
            entry["pinned"] = max(candidate, floor.pinned)
            if candidate >= floor.pinned:
                entry.pop("reason", None)
    return out
