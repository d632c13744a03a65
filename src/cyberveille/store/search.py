"""Full-text search over evidence sentences: SQLite FTS5 (accents and case folded), else a scan.

``index_evidence(store)`` fills the index with the evidence sentences of articles not yet
indexed (idempotent; run after every ingest and before every search, so stores made
before the index existed are filled on first use). ``search(store, text)`` returns the
sentences holding every word of ``text``, accents and case folded (« Pekin » finds
« Pékin »), best first. On PostgreSQL, or a SQLite without FTS5, the same answer comes
from a scan of the claims table with the same folding (slower, no ranking).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from cyberveille.extract.fold import fold
from cyberveille.store.store import Store

FTS_TABLE = "evidence_fts"
DONE_TABLE = "evidence_fts_articles"  # articles whose evidence sentences are indexed
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """One evidence sentence that matches, with where it comes from."""

    article_id: str
    sentence_index: int
    sentence: str
    rank: float = 0.0


def words(query: str) -> list[str]:
    """The words of a query, folded (case, accents), as the index tokenises them."""
    return _WORD.findall(fold(query))


def _fts_available(store: Store) -> bool:
    if not store._sqlite:
        return False
    with store._writing() as conn:
        try:
            _create(conn)
        except OperationalError:  # SQLite built without FTS5
            return False
    return True


def _create(conn: Connection) -> None:
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "sentence, article_id UNINDEXED, sentence_index UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {DONE_TABLE} (article_id TEXT PRIMARY KEY)")


def index_evidence(store: Store) -> int:
    """Index the evidence sentences of the articles not indexed yet.

    Returns:
        How many articles were added to the index (0 when already up to date, or when
        the backend has no FTS5: searches then scan).
    """
    return _fill(store) if _fts_available(store) else 0


def _fill(store: Store) -> int:
    with store._writing() as conn:
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS _fts_new AS SELECT id AS article_id FROM articles "
            f"WHERE id NOT IN (SELECT article_id FROM {DONE_TABLE})"
        )
        conn.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE} (sentence, article_id, sentence_index) "
            "SELECT DISTINCT ev_sentence, ev_article_id, ev_sentence_index FROM claims "
            "WHERE ev_article_id IN (SELECT article_id FROM _fts_new)"
        )
        added = conn.exec_driver_sql(
            f"INSERT INTO {DONE_TABLE} (article_id) SELECT article_id FROM _fts_new"
        ).rowcount
        conn.exec_driver_sql("DROP TABLE _fts_new")
    return int(added or 0)


def _fts_query(query: str) -> str:
    """An FTS5 expression: every word of the query, each quoted (no operator syntax)."""
    return " ".join(f'"{w}"' for w in words(query))


def search(store: Store, query: str, limit: int = 50) -> list[Hit]:
    """Evidence sentences holding every word of ``query`` (folded), best match first.

    Args:
        store: the store (its index is brought up to date first).
        query: words, in any case, with or without accents.
        limit: at most this many sentences.

    Returns:
        Distinct (article, sentence) hits; empty when the query has no word.
    """
    if not words(query):
        return []
    if _fts_available(store):
        _fill(store)
        with store._reading() as conn:
            rows = conn.execute(
                text(
                    f"SELECT article_id, sentence_index, sentence, bm25({FTS_TABLE}) AS r "
                    f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY r, article_id, "
                    "sentence_index LIMIT :n"
                ),
                {"q": _fts_query(query), "n": limit},
            )
            return [Hit(r.article_id, int(r.sentence_index), r.sentence, float(r.r)) for r in rows]
    return _scan(store, query, limit)


def _scan(store: Store, query: str, limit: int) -> list[Hit]:
    """The portable path: fold every distinct evidence sentence and keep those with all words."""
    wanted = set(words(query))
    hits: list[Hit] = []
    with store._reading() as conn:
        rows = conn.execute(
            text(
                "SELECT DISTINCT ev_article_id, ev_sentence_index, ev_sentence FROM claims "
                "ORDER BY ev_article_id, ev_sentence_index"
            )
        )
        for row in rows:
            if wanted <= set(_WORD.findall(fold(row.ev_sentence))):
                hits.append(Hit(row.ev_article_id, int(row.ev_sentence_index), row.ev_sentence))
                if len(hits) >= limit:
                    break
    return hits


def forget_index(store: Store) -> None:
    """Empty the index (evidence changed: articles re-extracted); the next search refills it."""
    if not _fts_available(store):
        return
    with store._writing() as conn:
        conn.exec_driver_sql(f"DELETE FROM {FTS_TABLE}")
        conn.exec_driver_sql(f"DELETE FROM {DONE_TABLE}")
