"""What the ambiguity filter costs and saves: dev-set scores with the filter on and off.

Names that are also ordinary words or other things (Hafnium, "One", "Equation") are kept
only with evidence (see cyberveille.extract.mentions). This runs ``cyberveille eval`` on
the given gold files twice, with the filter on and off, and prints one JSON object with
precision, recall and F1 of every field both ways and the difference.

    python bench/ambiguity.py ../shared/eval/annoctr.jsonl ../shared/eval/seeds.jsonl
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from cyberveille.evaluate import run_eval


def _scores(paths: list[Path], enabled: bool) -> dict[str, Any]:
    os.environ["CYBERVEILLE_AMBIGUITY_FILTER"] = "1" if enabled else "0"
    return run_eval(paths)


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths:
        sys.exit(__doc__)
    on, off = _scores(paths, True), _scores(paths, False)
    out: dict[str, Any] = {}
    for set_name, data in on["sets"].items():
        for field, values in data.get("fields", {}).items():
            other = off["sets"].get(set_name, {}).get("fields", {}).get(field)
            if not other:
                continue
            out[f"{set_name}/{field}"] = {
                "filter_on": {k: values[k] for k in ("precision", "recall", "f1", "predicted")},
                "filter_off": {k: other[k] for k in ("precision", "recall", "f1", "predicted")},
                "f1_gain": round(values["f1"] - other["f1"], 4),
            }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
