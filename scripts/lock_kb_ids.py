"""Add every galaxy cluster of the current KB build to the id lock (kb/data/ids.tsv).

Run after upgrading pymispgalaxies: clusters already locked keep their ids (lines are
never changed); new clusters get the id this build gives them. Prints JSON.
"""

from __future__ import annotations

import json

from cyberveille.kb.build import build_kb
from cyberveille.kb.ids import LOCK_FILE, read_lock, update_lock

LOCKED_KINDS = ("threat_actor", "malware", "tool")


def main() -> None:
    kb = build_kb()
    added = update_lock(
        (e.id, e.refs)
        for kind in LOCKED_KINDS
        for e in kb.entities(kind)  # type: ignore[arg-type]
    )
    print(json.dumps({"lock": str(LOCK_FILE), "added": added, "locked": len(read_lock())}))


if __name__ == "__main__":
    main()
