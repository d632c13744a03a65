"""Name normalisation: fold case, accents and punctuation so that names compare and match.

Contract: ``fold_text`` maps a text to a folded form over the alphabet
(casefolded letters without diacritics, digits, single spaces) and gives back a
function from folded offsets to original offsets; ``name_key`` is the lookup key
of a name; ``pattern_variants`` lists the folded forms under which a name is
searched in texts; ``split_camel_case`` reads words glued in camel case apart.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable

__all__ = ["fold_text", "name_key", "pattern_variants", "slugify", "split_camel_case"]


class _CharFold(dict[int, str]):
    """Lazily filled ``str.translate`` table: one character to exactly one character.

    Hand-written because the folded text must keep the length of the original
    (one output character per input character) so that offsets map back by
    identity, except where runs of spaces are collapsed afterwards. Letters lose
    their diacritics and are casefolded to their first character (``ß`` -> ``s``,
    rare in entity names); everything that is not a letter or digit becomes a space
    (hyphens, apostrophes ’ and ', dots, quotes), which turns French elision
    (« l’Australie ») and hyphenated names (« Etats-Unis ») into word boundaries.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isalnum():
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            folded = base.casefold() or char.casefold()
            out = folded[0] if folded and folded[0].isalnum() else " "
        else:
            out = " "
        self[code] = out
        return out


_FOLD = _CharFold()
_SPACES = re.compile(r" {2,}")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def fold_text(text: str) -> tuple[str, Callable[[int], int]]:
    """Fold a text and return a mapping from folded offsets back to original offsets.

    Args:
        text: any text.

    Returns:
        The folded text (same alphabet as ``name_key``; runs of spaces collapsed to
        one, leading space kept so offsets stay simple) and a function that maps an
        offset in the folded text to the offset of the same character in ``text``.
    """
    one_to_one = text.translate(_FOLD)
    # Collapse runs of spaces; remember, for each collapsed run, where it starts in
    # the folded text and how many characters were removed before that point, so
    # an offset maps back with one bisect instead of a per-character table.
    starts: list[int] = []
    removed: list[int] = []
    pieces: list[str] = []
    last = 0
    total = 0
    for m in _SPACES.finditer(one_to_one):
        pieces.append(one_to_one[last : m.start() + 1])
        total += m.end() - m.start() - 1
        starts.append(m.end() - total)  # folded offset of the first character after the run
        removed.append(total)
        last = m.end()
    if not starts:
        return one_to_one, _identity
    pieces.append(one_to_one[last:])
    folded = "".join(pieces)

    def to_original(offset: int) -> int:
        i = bisect.bisect_right(starts, offset) - 1
        return offset if i < 0 else offset + removed[i]

    return folded, to_original


def _identity(offset: int) -> int:
    return offset


def name_key(name: str) -> str:
    """Return the lookup key of a name: folded, trimmed, letter/digit runs split.

    ``"APT 40"``, ``"apt-40"``, ``"Apt40"`` all give ``"apt 40"``; ``"États Unis"``
    and ``"Etats-Unis"`` give ``"etats unis"``.

    Args:
        name: a name or alias.

    Returns:
        The key (empty when the name has no letter or digit).
    """
    folded, _ = fold_text(name)
    return _LETTER_DIGIT.sub(" ", folded).strip()


def pattern_variants(name: str) -> set[str]:
    """Return the folded forms under which ``name`` is searched in a text.

    Why by hand: writers vary spacing around digits (« APT 40 » / « APT40 ») and
    inside compound names (« Cobalt Strike » / « CobaltStrike », « NotPetya » /
    « Not Petya »). The text is folded without touching its spacing, so the
    variants are produced on the pattern side: with and without a space at each
    letter/digit transition (all combinations up to two transitions, else the
    two extremes), the name with its spaces removed when it is a compound of
    words, and the name split at its camel-case humps.

    Args:
        name: a name or alias.

    Returns:
        A set of non-empty folded patterns.
    """
    out: set[str] = set()
    bases = {fold_text(name)[0].strip(), fold_text(_CAMEL.sub(" ", name))[0].strip()}
    for base in bases:
        if not base:
            continue
        out.add(base)
        if " " in base and all(len(part) > 1 for part in base.split(" ")):
            joined = base.replace(" ", "")
            if len(joined) >= 6:
                out.add(joined)
        spaced = _LETTER_DIGIT.sub(" ", base)
        glued = re.sub(r"(?<=[^\W\d_]) (?=\d)|(?<=\d) (?=[^\W\d_])", "", base)
        cuts = [m.start() for m in _LETTER_DIGIT.finditer(glued)]
        if len(cuts) <= 2:
            for mask in range(1 << len(cuts)):
                chars = list(glued)
                for bit, cut in enumerate(reversed(cuts)):
                    if mask >> bit & 1:
                        chars.insert(cut, " ")
                out.add("".join(chars))
        else:
            out.update({spaced, glued})
    return {p for p in out if p.strip()}


def slugify(name: str) -> str:
    """Return an id slug: folded, ASCII letters/digits joined by single hyphens.

    Args:
        name: a canonical name.

    Returns:
        The slug (``"APT40"`` -> ``"apt40"``, ``"Cobalt Strike"`` -> ``"cobalt-strike"``).
    """
    folded, _ = fold_text(name)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x"


_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def split_camel_case(text: str) -> str:
    """Words glued in camel case read apart: "YemenCyberArmy" -> "Yemen Cyber Army"."""
    return _CAMEL_CASE.sub(" ", text)
