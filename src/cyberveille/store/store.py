"""The store: saves extractions and incidents atomically and idempotently, reads them back equal."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import platformdirs
from sqlalchemy import (
    Connection,
    Engine,
    Executable,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    tuple_,
    union,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.sql.elements import BindParameter

from cyberveille.store import schema as s
from cyberveille.store.views import IncidentView
from cyberveille.types import (
    Article,
    Claim,
    Evidence,
    Extraction,
    Incident,
    IncidentMention,
    Mention,
    content_id,
)

__all__ = ["SchemaVersionError", "Store", "claim_id", "default_db_path"]

T = TypeVar("T")

# Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
_CHUNK = 500
# Rows per page when iterating over all incidents or articles.
_PAGE = 500
_BUSY_TIMEOUT_MS = 30_000
_BEGIN_OPTION = "cyberveille_begin"


class SchemaVersionError(RuntimeError):
    """The database was written by another schema version of cyberveille."""


def default_db_path() -> Path:
    """Return where the database lives unless told otherwise.

    Returns:
        ``$CYBERVEILLE_DB`` when set, else ``<user data dir>/cyberveille/cyberveille.sqlite``.
    """
    env = os.environ.get("CYBERVEILLE_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("cyberveille")) / "cyberveille.sqlite"


def claim_id(claim: Claim) -> str:
    """Return the stable id of a claim, derived from all its fields and its evidence.

    Args:
        claim: The claim.

    Returns:
        A 32-hex-character content id; equal claims get equal ids.
    """
    ev = claim.evidence
    payload = [
        claim.kind,
        claim.subject,
        claim.object,
        claim.accuser,
        claim.accuser_country,
        claim.attribution_type,
        claim.modality,
        claim.hedged_by_outlet,
        claim.value,
        claim.unit,
        claim.text,
        _iso(claim.date_start),
        _iso(claim.date_end),
        ev.article_id,
        ev.sentence_index,
        ev.sentence,
        ev.start,
        ev.end,
        list(ev.cues),
    ]
    return content_id("claim", json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


class Store:
    """Incidents, articles and their extractions in one SQL database (SQLite or PostgreSQL).

    Every write is one transaction (or part of the caller's :meth:`transaction`) and is
    idempotent. Reads give back objects equal to those written. Open with :meth:`open`;
    close with :meth:`close` or a ``with`` block.
    """

    def __init__(self, engine: Engine) -> None:
        """Wrap an engine whose schema already exists (use :meth:`open` instead).

        Args:
            engine: A SQLAlchemy engine.
        """
        self._engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        # The connection of the open :meth:`transaction`, per thread (none outside one).
        self._local = threading.local()

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def open(cls, target: str | Path) -> Store:
        """Open (and create if missing) a store.

        Args:
            target: A filesystem path (SQLite; parent directories are created) or a full
                SQLAlchemy URL such as ``postgresql+psycopg://user@host/db``.

        Returns:
            The open store, its schema created if missing.

        Raises:
            SchemaVersionError: The database holds another schema version.
        """
        url = _to_url(target)
        backend = make_url(url).get_backend_name()
        kwargs: dict[str, Any] = {}
        if backend == "sqlite":
            # The pool hands a connection to one thread at a time; let it change thread.
            kwargs["connect_args"] = {"check_same_thread": False}
        engine = create_engine(url, **kwargs)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_on_connect)
            event.listen(engine, "begin", _sqlite_on_begin)
        store = cls(engine)
        try:
            store._ensure_schema()
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Release every connection of the store."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def url(self) -> str:
        """The database URL (password hidden)."""
        return self._engine.url.render_as_string(hide_password=True)

    def _ensure_schema(self) -> None:
        with self._writing() as conn:
            s.metadata.create_all(conn)
            _insert_ignore(
                conn, s.meta, [{"key": "schema_version", "value": str(s.SCHEMA_VERSION)}]
            )
            found = conn.execute(
                select(s.meta.c.value).where(s.meta.c.key == "schema_version")
            ).scalar_one()
        if found != str(s.SCHEMA_VERSION):
            raise SchemaVersionError(
                f"{self.url}: schema version {found}, this cyberveille expects "
                f"{s.SCHEMA_VERSION}; run into a new database and ingest the articles again"
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every read and write of the block one write transaction, committed at its end
        (rolled back whole if it raises); the block's reads see its own writes.

        For a caller that makes many small writes as one unit (the pipeline stores, links
        and groups a batch of articles in one): a commit per write is what costs most. Other
        writers wait for the block (SQLite: BEGIN IMMEDIATE), so keep it short. A nested
        block joins the outer one. Bound to the thread that opens it.
        """
        if self._open_transaction() is not None:
            yield
            return
        with self._new_write_transaction() as conn:
            self._local.conn = conn
            try:
                yield
            finally:
                self._local.conn = None

    def _open_transaction(self) -> Connection | None:
        conn: Connection | None = getattr(self._local, "conn", None)
        return conn

    @contextmanager
    def _new_write_transaction(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            if self._sqlite:
                conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                yield conn

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """Yield a connection inside a write transaction (SQLite: BEGIN IMMEDIATE): the open
        :meth:`transaction`'s, else a new one committed on leaving."""
        conn = self._open_transaction()
        if conn is not None:
            yield conn
            return
        with self._new_write_transaction() as conn:
            yield conn

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        """Yield a connection inside a read transaction (one consistent snapshot): the open
        :meth:`transaction`'s, so that its writes are seen, else a new one."""
        conn = self._open_transaction()
        if conn is not None:
            yield conn
            return
        with self._engine.connect() as conn, conn.begin():
            yield conn

    # ------------------------------------------------------------------ writes

    def has_article(self, article_id: str) -> bool:
        """Tell whether an article is stored.

        Args:
            article_id: The article id.

        Returns:
            True when the article is stored.
        """
        with self._reading() as conn:
            return _exists(conn, s.articles, article_id)

    def save_extraction(self, ex: Extraction) -> bool:
        """Store an article with everything extracted from it, in one transaction.

        Args:
            ex: The extraction.

        Returns:
            False (and nothing written) when the article was already stored, else True.
        """
        with self._writing() as conn:
            return _write_extraction(conn, ex)

    def save_extractions(self, extractions: Iterable[Extraction]) -> int:
        """Store several extractions in one transaction (faster for batches).

        Articles already stored are skipped, as with :meth:`save_extraction`.

        Args:
            extractions: The extractions.

        Returns:
            How many articles were newly stored.
        """
        with self._writing() as conn:
            return sum(_write_extraction(conn, ex) for ex in extractions)

    def replace_extraction(self, ex: Extraction) -> bool:
        """Replace what was extracted from a stored article (new rules or knowledge base),
        in one transaction; its text, sketch and incident memberships are left alone.

        Args:
            ex: The new extraction of a stored article.

        Returns:
            False (and nothing written) when the article is not stored.
        """
        with self._writing() as conn:
            if not _exists(conn, s.articles, ex.article.id):
                return False
            _delete_parts(conn, ex.article.id)
            conn.execute(
                s.articles.update()
                .where(s.articles.c.id == ex.article.id)
                .values(notes=_json(list(ex.notes)))
            )
            _write_parts(conn, ex)
        return True

    def clear_incidents(self) -> None:
        """Delete every incident with its keys, members and vectors (articles stay)."""
        with self._writing() as conn:
            for table in (s.incident_members, s.incident_keys, s.incident_vectors, s.incidents):
                conn.execute(delete(table))

    def delete_incident_vectors(self, incident_ids: Sequence[str]) -> None:
        """Forget incidents' description vectors (remade from their members when needed)."""
        v = s.incident_vectors
        with self._writing() as conn:
            for part in _chunks(list(incident_ids)):
                conn.execute(delete(v).where(v.c.incident_id.in_(part)))

    def article_ids_as_ingested(self) -> list[str]:
        """Every stored article id in the order they were ingested (then by id)."""
        a = s.articles
        with self._reading() as conn:
            rows = conn.execute(
                select(a.c.id).order_by(a.c.ingested_at.is_(None), a.c.ingested_at, a.c.id)
            )
            return list(rows.scalars())

    def save_incident(self, incident: Incident) -> None:
        """Insert or replace an incident, its keys and its membership.

        A mention listed in ``incident.mention_ids`` is removed from any other incident
        (a mention belongs to exactly one incident); that incident's ``article_ids`` loses
        the articles it no longer has mentions from. Its other fields are left as they are.

        Args:
            incident: The incident.
        """
        mention_ids = list(dict.fromkeys(incident.mention_ids))
        drop_keys, moved_members, drop_members, drop_moved = _membership_statements()
        with self._writing() as conn:
            _upsert(conn, s.incidents, _incident_row(incident), ["id"])
            conn.execute(drop_keys, {"id": incident.id})
            first = incident.first_seen or s.DATE_MIN
            last = incident.last_seen or s.DATE_MAX
            _insert_rows(
                conn,
                s.incident_keys,
                [
                    {"incident_id": incident.id, "key": k, "first_seen": first, "last_seen": last}
                    for k in sorted(incident.keys)
                ],
            )
            moved: dict[str, list[str]] = {}
            for part in _chunks(mention_ids):
                for mid, iid in conn.execute(moved_members, {"ids": part, "id": incident.id}):
                    moved.setdefault(iid, []).append(mid)
            conn.execute(drop_members, {"id": incident.id})
            for part in _chunks([mid for mids in moved.values() for mid in mids]):
                conn.execute(drop_moved, {"ids": part})
            for old_id, mids in moved.items():
                _prune_article_ids(conn, old_id, mids)
            _insert_rows(
                conn,
                s.incident_members,
                [
                    {"mention_id": mid, "incident_id": incident.id, "position": i}
                    for i, mid in enumerate(mention_ids)
                ],
            )

    def delete_incident(self, incident_id: str) -> None:
        """Delete an incident, its keys and its membership (its mentions become free).

        Args:
            incident_id: The incident id; unknown ids are ignored.
        """
        with self._writing() as conn:
            conn.execute(
                delete(s.incident_members).where(s.incident_members.c.incident_id == incident_id)
            )
            conn.execute(
                delete(s.incident_keys).where(s.incident_keys.c.incident_id == incident_id)
            )
            conn.execute(
                delete(s.incident_vectors).where(s.incident_vectors.c.incident_id == incident_id)
            )
            conn.execute(delete(s.incidents).where(s.incidents.c.id == incident_id))

    # ------------------------------------------------------------------ incident reads

    def candidate_incidents(
        self,
        keys: Iterable[str],
        *,
        since: date | None = None,
        until: date | None = None,
        limit: int = 50,
        near: date | None = None,
        per_key: int = 25,
    ) -> list[Incident]:
        """Find incidents sharing at least one key, most shared keys first.

        Uses only the ``(key, last_seen, first_seen, incident_id)`` index, so the cost
        depends on how many incidents share the keys, not on how many are stored. With
        ``near``, each key reads at most ``per_key`` incidents on each side of that date
        (nearest first), so the cost is bounded even for a key shared by thousands of
        incidents (a prolific actor, a common product).

        Args:
            keys: Grouping keys of a new incident mention.
            since: Keep incidents whose last_seen is on or after this date (None: no bound).
            until: Keep incidents whose first_seen is on or before this date (None: no bound).
                Incidents with no first/last seen date always pass.
            limit: At most this many incidents.
            near: The date of the new mention: read per key the incidents nearest to it.
            per_key: With ``near``, at most this many incidents per key and side.

        Returns:
            Incidents ordered by number of shared keys (descending), then id.
        """
        wanted = sorted(set(keys))
        if not wanted or limit <= 0:
            return []
        k = s.incident_keys
        with self._reading() as conn:
            if near is None:
                shared = func.count().label("shared")
                query = select(k.c.incident_id, shared).where(k.c.key.in_(wanted))
                if since is not None:
                    query = query.where(k.c.last_seen >= since)
                if until is not None:
                    query = query.where(k.c.first_seen <= until)
                query = query.group_by(k.c.incident_id).order_by(shared.desc(), k.c.incident_id)
                ids = [row.incident_id for row in conn.execute(query.limit(limit))]
            else:
                counts: dict[str, int] = {}
                for key in wanted:
                    for iid in _nearest_for_key(conn, key, near, since, until, per_key):
                        counts[iid] = counts.get(iid, 0) + 1
                ids = sorted(counts, key=lambda i: (-counts[i], i))[:limit]
            found = _load_incidents(conn, ids)
        return [found[i] for i in ids if i in found]

    def incident_vectors(self, ids: Sequence[str]) -> dict[str, tuple[bytes, int]]:
        """Stored description vectors of incidents (float32 bytes, number of members summed).

        Args:
            ids: Incident ids.

        Returns:
            id -> (vector bytes, members) for the incidents that have one.
        """
        v = s.incident_vectors
        found: dict[str, tuple[bytes, int]] = {}
        with self._reading() as conn:
            for part in _chunks(list(dict.fromkeys(ids))):
                for row in conn.execute(select(v).where(v.c.incident_id.in_(part))):
                    found[row.incident_id] = (bytes(row.vector), int(row.members))
        return found

    def save_incident_vector(self, incident_id: str, vector: bytes, members: int) -> None:
        """Insert or replace the description vector of a stored incident.

        Args:
            incident_id: The incident id.
            vector: float32 bytes (see ``cyberveille.similarity``).
            members: How many mention vectors it sums.
        """
        row = {"incident_id": incident_id, "vector": vector, "members": members}
        with self._writing() as conn:
            _upsert(conn, s.incident_vectors, row, ["incident_id"])

    def incident(self, incident_id: str) -> Incident | None:
        """Return one incident.

        Args:
            incident_id: The incident id.

        Returns:
            The incident, or None when unknown.
        """
        with self._reading() as conn:
            return _load_incidents(conn, [incident_id]).get(incident_id)

    def incidents(self) -> Iterator[Incident]:
        """Iterate over all incidents, by first_seen (undated last) then id.

        Reads page by page, each page in its own short transaction, so the store can be
        written to while iterating.

        Yields:
            Incidents.
        """
        t = s.incidents
        for ids in _keyset_pages(self, t, t.c.first_seen, t.c.id):
            with self._reading() as conn:
                found = _load_incidents(conn, ids)
            yield from (found[i] for i in ids if i in found)

    def find_incident(self, prefix: str) -> Incident | None:
        """Return the incident whose id is ``prefix`` or the only one starting with it.

        Args:
            prefix: A full incident id or its first characters (as ``show`` prints them).

        Returns:
            The incident, or None when no incident or several start with ``prefix``.
        """
        with self._reading() as conn:
            found = _id_by_prefix(conn, s.incidents, prefix)
            return None if found is None else _load_incidents(conn, [found]).get(found)

    def find_article(self, prefix: str) -> Article | None:
        """Return the article whose id is ``prefix`` or the only one starting with it.

        Args:
            prefix: A full article id or its first characters.

        Returns:
            The article, or None when no article or several start with ``prefix``.
        """
        with self._reading() as conn:
            found = _id_by_prefix(conn, s.articles, prefix)
            return None if found is None else _load_articles(conn, [found]).get(found)

    def incident_mentions_by_id(self, mention_ids: Sequence[str]) -> list[IncidentMention]:
        """Return stored incident mentions (with their claims) in the order asked.

        Args:
            mention_ids: ``IncidentMention.id`` values; unknown ones are left out.
        """
        with self._reading() as conn:
            found = _load_incident_mentions(conn, mention_ids)
        return [found[i] for i in mention_ids if i in found]

    def incident_of_mention(self, mention_id: str) -> str | None:
        """Return the incident an incident mention belongs to.

        Args:
            mention_id: An ``IncidentMention.id``.

        Returns:
            The incident id, or None when the mention belongs to none.
        """
        m = s.incident_members
        with self._reading() as conn:
            value = conn.execute(
                select(m.c.incident_id).where(m.c.mention_id == mention_id)
            ).scalar_one_or_none()
        return None if value is None else str(value)

    def incident_view(self, incident_id: str) -> IncidentView | None:
        """Return an incident with its mentions (and their claims) and its articles.

        Args:
            incident_id: The incident id.

        Returns:
            The view (mentions in membership order, articles oldest first; mentions and
            articles not stored are left out), or None when the incident is unknown.
        """
        with self._reading() as conn:
            incident = _load_incidents(conn, [incident_id]).get(incident_id)
            if incident is None:
                return None
            by_id = _load_incident_mentions(conn, incident.mention_ids)
            mentions = tuple(by_id[i] for i in incident.mention_ids if i in by_id)
            article_ids = list(
                dict.fromkeys([*incident.article_ids, *(im.article_id for im in mentions)])
            )
            arts = _load_articles(conn, article_ids)
        ordered = sorted(arts.values(), key=_oldest_first)
        return IncidentView(incident=incident, mentions=mentions, articles=tuple(ordered))

    # ------------------------------------------------------------------ article reads

    def article(self, article_id: str) -> Article | None:
        """Return one article.

        Args:
            article_id: The article id.

        Returns:
            The article, or None when not stored.
        """
        with self._reading() as conn:
            return _load_articles(conn, [article_id]).get(article_id)

    def articles(self) -> Iterator[Article]:
        """Iterate over all articles, by published date (undated last) then id.

        Yields:
            Articles, read page by page in short transactions.
        """
        t = s.articles
        for ids in _keyset_pages(self, t, t.c.published, t.c.id):
            with self._reading() as conn:
                found = _load_articles(conn, ids)
            yield from (found[i] for i in ids if i in found)

    def sentences(self, article_id: str) -> list[str]:
        """Return the sentences of an article, in order.

        Args:
            article_id: The article id.

        Returns:
            The sentences (empty when the article is not stored).
        """
        t = s.sentences
        with self._reading() as conn:
            rows = conn.execute(
                select(t.c.text).where(t.c.article_id == article_id).order_by(t.c.idx)
            )
            return [row.text for row in rows]

    def mentions(self, article_id: str) -> list[Mention]:
        """Return the mentions of an article, in extraction order.

        Args:
            article_id: The article id.

        Returns:
            The mentions.
        """
        t = s.mentions
        with self._reading() as conn:
            rows = conn.execute(select(t).where(t.c.article_id == article_id).order_by(t.c.idx))
            return [_mention(row) for row in rows]

    def claims(self, article_id: str) -> list[Claim]:
        """Return the claims of an article (``Extraction.claims``), in extraction order.

        Args:
            article_id: The article id.

        Returns:
            The claims (duplicates within one extraction are stored once).
        """
        t = s.claims
        with self._reading() as conn:
            rows = conn.execute(
                select(t)
                .where(t.c.article_id == article_id, t.c.idx.is_not(None))
                .order_by(t.c.idx)
            )
            return [_claim(row) for row in rows]

    def incident_mentions(self, article_id: str) -> list[IncidentMention]:
        """Return the incident mentions of an article, in order, with their claims.

        Args:
            article_id: The article id.

        Returns:
            The incident mentions.
        """
        t = s.incident_mentions
        with self._reading() as conn:
            ids = list(
                conn.execute(
                    select(t.c.id).where(t.c.article_id == article_id).order_by(t.c.idx)
                ).scalars()
            )
            found = _load_incident_mentions(conn, ids)
        return [found[i] for i in ids if i in found]

    def notes(self, article_id: str) -> list[str]:
        """Return the notes stored with an article's extraction.

        Args:
            article_id: The article id.

        Returns:
            The notes (empty when the article is not stored).
        """
        with self._reading() as conn:
            value = conn.execute(
                select(s.articles.c.notes).where(s.articles.c.id == article_id)
            ).scalar_one_or_none()
        return [] if value is None else list(json.loads(value))

    # ------------------------------------------------------------------ near-duplicates

    def save_sketch(
        self, article_id: str, signature: bytes, bands: Sequence[str], canonical_id: str
    ) -> None:
        """Store an article's near-duplicate sketch, its LSH bands and its canonical article.

        Args:
            article_id: A stored article.
            signature: The MinHash signature bytes (``cyberveille.duplicates``).
            bands: Its band keys.
            canonical_id: The first stored article of its cluster (itself when none).
        """
        row = {"article_id": article_id, "signature": signature, "canonical_id": canonical_id}
        with self._writing() as conn:
            _upsert(conn, s.article_sketches, row, ["article_id"])
            _insert_ignore(
                conn, s.article_bands, [{"band": b, "article_id": article_id} for b in bands]
            )

    def article_link(self, article_id: str) -> str | None:
        """The canonical article of a sketched article (None when it has no sketch)."""
        with self._reading() as conn:
            value = conn.execute(_sketch_statements()[0], {"id": article_id}).scalar_one_or_none()
        return None if value is None else str(value)

    def sketches_sharing_bands(self, bands: Sequence[str]) -> dict[str, tuple[bytes, str]]:
        """Articles with at least one of these band keys: id -> (signature, canonical id)."""
        query = _sketch_statements()[1]
        found: dict[str, tuple[bytes, str]] = {}
        with self._reading() as conn:
            for part in _chunks(list(dict.fromkeys(bands))):
                for row in conn.execute(query, {"bands": part}):
                    found[row.article_id] = (bytes(row.signature), row.canonical_id)
        return found

    def canonical_articles(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The canonical article of each given article (itself when it duplicates none or
        has no sketch): count ``set(result.values())`` to count a wire story once.

        Args:
            article_ids: Article ids.

        Returns:
            article id -> canonical article id, for every given id.
        """
        ids = list(dict.fromkeys(article_ids))
        query = _sketch_statements()[2]
        found = {i: i for i in ids}
        with self._reading() as conn:
            for part in _chunks(ids):
                for aid, canonical in conn.execute(query, {"ids": part}):
                    found[aid] = canonical
        return found

    def duplicates(self, article_id: str) -> list[str]:
        """The other articles of an article's near-duplicate cluster (canonical first)."""
        canonical = self.article_link(article_id) or article_id
        t = s.article_sketches
        with self._reading() as conn:
            members = list(
                conn.execute(
                    select(t.c.article_id)
                    .where(t.c.canonical_id == canonical)
                    .order_by(t.c.article_id)
                ).scalars()
            )
        ordered = [canonical, *(m for m in members if m != canonical)]
        return [m for m in ordered if m != article_id]

    def counts(self) -> dict[str, int]:
        """Count the stored rows (a full count: meant for reports, not for hot paths).

        Returns:
            Counts of articles, sentences, mentions, claims, incident_mentions, incidents.
        """
        tables = {
            "articles": s.articles,
            "sentences": s.sentences,
            "mentions": s.mentions,
            "claims": s.claims,
            "incident_mentions": s.incident_mentions,
            "incidents": s.incidents,
        }
        with self._reading() as conn:
            return {
                name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for name, t in tables.items()
            }


# ---------------------------------------------------------------------- engine helpers


def _to_url(target: str | Path) -> str:
    if isinstance(target, str) and "://" in target:
        return target
    path = Path(target).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.as_posix()}"


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


# ---------------------------------------------------------------------- write helpers


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _exists(conn: Connection, table: Table, key: str) -> bool:
    return conn.execute(_id_statement(table), {"id": key}).first() is not None


@cache
def _id_statement(table: Table) -> Executable:
    """SELECT id WHERE id = :id on a table, built once (see _incident_statements)."""
    return select(table.c.id).where(table.c.id == bindparam("id"))


@cache
def _sketch_statements() -> tuple[Executable, Executable, Executable]:
    """The statements run for every new article's near-duplicate link, built once: its
    canonical article (``id``), the sketches sharing bands (``bands``), the canonical
    articles of articles (``ids``)."""
    b, t = s.article_bands, s.article_sketches
    return (
        select(t.c.canonical_id).where(t.c.article_id == bindparam("id")),
        select(t.c.article_id, t.c.signature, t.c.canonical_id)
        .join(b, b.c.article_id == t.c.article_id)
        .where(b.c.band.in_(bindparam("bands", expanding=True)))
        .distinct(),
        select(t.c.article_id, t.c.canonical_id).where(
            t.c.article_id.in_(bindparam("ids", expanding=True))
        ),
    )


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(table), rows)


def _insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert rows, skipping those whose primary key exists; return how many were inserted."""
    if not rows:
        return 0
    name = conn.dialect.name
    if name in ("sqlite", "postgresql"):
        return int(conn.execute(_insert_ignore_statement(name, table), rows).rowcount)
    pk = [c.name for c in table.primary_key.columns]
    inserted = 0  # any other backend: check, then insert, inside the caller's transaction
    for row in rows:
        cond = [table.c[c] == row[c] for c in pk]
        if conn.execute(select(*table.primary_key.columns).where(*cond)).first() is None:
            conn.execute(insert(table), row)
            inserted += 1
    return inserted


@cache
def _insert_ignore_statement(dialect: str, table: Table) -> Executable:
    """INSERT ... ON CONFLICT DO NOTHING on the primary key (SQLite, PostgreSQL), built once."""
    dialect_insert = sqlite_insert if dialect == "sqlite" else pg_insert
    pk = [c.name for c in table.primary_key.columns]
    return dialect_insert(table).on_conflict_do_nothing(index_elements=pk)


def _upsert(conn: Connection, table: Table, row: dict[str, Any], pk: list[str]) -> None:
    name = conn.dialect.name
    if name in ("sqlite", "postgresql"):
        conn.execute(_upsert_statement(name, table, tuple(row), tuple(pk)), row)
        return
    cond = [table.c[c] == row[c] for c in pk]
    values = {c: v for c, v in row.items() if c not in pk}
    if conn.execute(table.update().where(*cond).values(values)).rowcount == 0:
        conn.execute(insert(table), row)


@cache
def _upsert_statement(
    dialect: str, table: Table, columns: tuple[str, ...], pk: tuple[str, ...]
) -> Executable:
    """INSERT ... ON CONFLICT (pk) DO UPDATE of ``columns`` (SQLite, PostgreSQL), built once
    per table and columns: its ``excluded`` alias is costly to build for every row."""
    dialect_insert = sqlite_insert if dialect == "sqlite" else pg_insert
    stmt = dialect_insert(table)
    updates = {c: stmt.excluded[c] for c in columns if c not in pk}
    return stmt.on_conflict_do_update(index_elements=list(pk), set_=updates)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sentence_starts(text: str, sentences: Sequence[str]) -> list[int | None]:
    """Find each sentence in the text, left to right (None when not found)."""
    starts: list[int | None] = []
    cursor = 0
    for sentence in sentences:
        found = text.find(sentence, cursor) if sentence else -1
        if found < 0:
            starts.append(None)
        else:
            starts.append(found)
            cursor = found + len(sentence)
    return starts


def _write_extraction(conn: Connection, ex: Extraction) -> bool:
    art = ex.article
    row = {
        "id": art.id,
        "text": art.text,
        "language": art.language,
        "origin": art.origin,
        "url": art.url,
        "outlet": art.outlet,
        "title": art.title,
        "published": art.published,
        "ingested_at": None if art.ingested_at is None else art.ingested_at.isoformat(),
        "notes": _json(list(ex.notes)),
    }
    # The article row goes first: if it is there already, the whole extraction is.
    if _insert_ignore(conn, s.articles, [row]) == 0:
        return False
    _write_parts(conn, ex)
    return True


def _delete_parts(conn: Connection, article_id: str) -> None:
    """Delete what was extracted from an article (its row and sketch stay)."""
    im = s.incident_mentions
    ids = select(im.c.id).where(im.c.article_id == article_id)
    imc = s.incident_mention_claims
    conn.execute(delete(imc).where(imc.c.mention_id.in_(ids)))
    conn.execute(delete(im).where(im.c.article_id == article_id))
    for table in (s.claims, s.mentions, s.sentences):
        conn.execute(delete(table).where(table.c.article_id == article_id))


def _write_parts(conn: Connection, ex: Extraction) -> None:
    """Write an extraction's sentences, mentions, claims and incident mentions."""
    art = ex.article
    starts = _sentence_starts(art.text, ex.sentences)
    _insert_rows(
        conn,
        s.sentences,
        [
            {"article_id": art.id, "idx": i, "text": text, "start_offset": start}
            for i, (text, start) in enumerate(zip(ex.sentences, starts, strict=True))
        ],
    )
    _insert_rows(
        conn,
        s.mentions,
        [
            {
                "article_id": art.id,
                "idx": i,
                "kind": m.kind,
                "text": m.text,
                "start_offset": m.start,
                "end_offset": m.end,
                "sentence_index": m.sentence_index,
                "canonical_id": m.canonical_id,
                "confidence": m.confidence,
            }
            for i, m in enumerate(ex.mentions)
        ],
    )
    # Claims of the extraction (numbered), then claims only found in incident mentions.
    ids: dict[Claim, str] = {}
    claim_rows: list[dict[str, Any]] = []
    listed = 0
    for claim in ex.claims:
        if claim not in ids:
            ids[claim] = claim_id(claim)
            claim_rows.append(_claim_row(claim, ids[claim], art.id, listed))
            listed += 1
    for im in ex.incident_mentions:
        for claim in im.claims:
            if claim not in ids:
                ids[claim] = claim_id(claim)
                claim_rows.append(_claim_row(claim, ids[claim], art.id, None))
    # Ignore (not fail on) a claim id already stored: two claims equal in every field.
    _insert_ignore(conn, s.claims, claim_rows)
    _insert_rows(
        conn,
        s.incident_mentions,
        [
            {
                "id": im.id,
                "article_id": im.article_id,
                "idx": im.index,
                "title": im.title,
                "keys": _json(sorted(im.keys)),
                "incident_type": im.incident_type,
                "incident_types": _json(list(im.incident_types)),
                "mention_only": im.mention_only,
                "incident_date": im.date,
                "sentence_indices": _json(list(im.sentence_indices)),
            }
            for im in ex.incident_mentions
        ],
    )
    _insert_rows(
        conn,
        s.incident_mention_claims,
        [
            {"mention_id": im.id, "position": pos, "claim_id": ids[claim]}
            for im in ex.incident_mentions
            for pos, claim in enumerate(im.claims)
        ],
    )


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _claim_row(claim: Claim, cid: str, article_id: str, idx: int | None) -> dict[str, Any]:
    ev = claim.evidence
    return {
        "id": cid,
        "article_id": article_id,
        "idx": idx,
        "kind": claim.kind,
        "subject": claim.subject,
        "object": claim.object,
        "accuser": claim.accuser,
        "accuser_country": claim.accuser_country,
        "attribution_type": claim.attribution_type,
        "modality": claim.modality,
        "hedged_by_outlet": claim.hedged_by_outlet,
        "value": claim.value,
        "unit": claim.unit,
        "text": claim.text,
        "date_start": claim.date_start,
        "date_end": claim.date_end,
        "ev_article_id": ev.article_id,
        "ev_sentence_index": ev.sentence_index,
        "ev_sentence": ev.sentence,
        "ev_start": ev.start,
        "ev_end": ev.end,
        "ev_cues": _json(list(ev.cues)),
    }


def _incident_row(incident: Incident) -> dict[str, Any]:
    return {
        "id": incident.id,
        "title": incident.title,
        "incident_type": incident.incident_type,
        "first_seen": incident.first_seen,
        "last_seen": incident.last_seen,
        "article_ids": _json(list(incident.article_ids)),
        "reasons": _json(list(incident.reasons)),
    }


def _prune_article_ids(conn: Connection, incident_id: str, moved_ids: Sequence[str]) -> None:
    """Drop from an incident's article_ids the articles it lost every mention of."""
    im = s.incident_mentions
    moved_articles: set[str] = set()
    for part in _chunks(moved_ids):
        moved_articles.update(
            conn.execute(select(im.c.article_id).where(im.c.id.in_(part))).scalars()
        )
    if not moved_articles:
        return
    m = s.incident_members
    remaining = conn.execute(
        select(im.c.article_id)
        .select_from(m.outerjoin(im, im.c.id == m.c.mention_id))
        .where(m.c.incident_id == incident_id)
    ).scalars()
    kept: set[str] = set()
    for article_id in remaining:
        if article_id is None:  # a member whose article is not stored: cannot tell, keep all
            return
        kept.add(article_id)
    t = s.incidents
    current = conn.execute(select(t.c.article_ids).where(t.c.id == incident_id)).scalar_one()
    before = json.loads(current)
    after = [a for a in before if a not in moved_articles or a in kept]
    if after != before:
        conn.execute(t.update().where(t.c.id == incident_id).values(article_ids=_json(after)))


# ---------------------------------------------------------------------- read helpers


def _id_by_prefix(conn: Connection, table: Table, prefix: str) -> str | None:
    """The id equal to ``prefix``, else the only id starting with it, else None."""
    starts = table.c.id.startswith(prefix, autoescape=True)
    ids = list(conn.execute(select(table.c.id).where(starts).limit(2)).scalars())
    if prefix in ids:
        return prefix
    return ids[0] if len(ids) == 1 else None


def _nearest_for_key(
    conn: Connection,
    key: str,
    near: date,
    since: date | None,
    until: date | None,
    per_key: int,
) -> set[str]:
    """Ids of at most ``per_key`` incidents holding ``key`` that ended before ``near``
    (latest first) and at most ``per_key`` still going on at or after it (earliest
    last_seen first, read among the ``4 * per_key`` nearest so that incidents starting
    after ``until`` cannot make the scan long): two bounded range scans of the key index."""
    both = _nearest_statement(per_key, since is not None, until is not None)
    params = {"key": key, "near": near, "since": since, "until": until}
    return set(conn.execute(both, params).scalars())


@cache
def _nearest_statement(per_key: int, has_since: bool, has_until: bool) -> Executable:
    """The statement of :func:`_nearest_for_key` (its two scans in one UNION), built once
    per shape: building it (subqueries' column proxies) costs more than running it, once
    per key and mention."""
    k = s.incident_keys
    nearest_after = (
        select(k.c.incident_id, k.c.first_seen, k.c.last_seen)
        .where(k.c.key == bindparam("key"), k.c.last_seen >= bindparam("near"))
        .order_by(k.c.last_seen)
        .limit(4 * per_key)
        .subquery()
    )
    after = select(nearest_after.c.incident_id)
    if has_until:
        after = after.where(nearest_after.c.first_seen <= bindparam("until"))
    after = after.order_by(nearest_after.c.last_seen, nearest_after.c.incident_id).limit(per_key)
    before = select(k.c.incident_id).where(
        k.c.key == bindparam("key"), k.c.last_seen < bindparam("near")
    )
    if has_since:
        before = before.where(k.c.last_seen >= bindparam("since"))
    if has_until:
        before = before.where(k.c.first_seen <= bindparam("until"))
    before = before.order_by(k.c.last_seen.desc()).limit(per_key)
    # each side keeps its own ORDER BY ... LIMIT inside a subquery (SQLite allows neither
    # on the members of a compound SELECT)
    after_ids, before_ids = after.subquery(), before.subquery()
    return union(select(after_ids.c.incident_id), select(before_ids.c.incident_id))


def _keyset_pages(store: Store, table: Table, order_col: Any, id_col: Any) -> Iterator[list[str]]:
    """Yield pages of ids ordered by (order_col, id) with NULL order values last.

    Keyset pagination on an ``(order_col, id)`` index: each page costs the same, however
    deep into the table it is.
    """
    last: tuple[Any, str] | None = None
    while True:  # rows with a value, by (value, id)
        query = select(order_col, id_col).where(order_col.is_not(None))
        if last is not None:
            query = query.where(tuple_(order_col, id_col) > tuple_(*last))
        with store._reading() as conn:
            rows = conn.execute(query.order_by(order_col, id_col).limit(_PAGE)).all()
        if not rows:
            break
        yield [r[1] for r in rows]
        last = (rows[-1][0], rows[-1][1])
    last_id: str | None = None
    while True:  # rows without a value, by id
        query = select(id_col).where(order_col.is_(None))
        if last_id is not None:
            query = query.where(id_col > last_id)
        with store._reading() as conn:
            ids = list(conn.execute(query.order_by(id_col).limit(_PAGE)).scalars())
        if not ids:
            break
        yield ids
        last_id = ids[-1]


@cache
def _membership_statements() -> tuple[Executable, Executable, Executable, Executable]:
    """The statements :meth:`Store.save_incident` runs for every incident it saves, built
    once (building a statement costs a few times more than running it): drop an
    incident's keys (``id``), its mentions held by other incidents (``ids``, ``id``),
    drop its members (``id``), drop members (``ids``)."""
    k, m = s.incident_keys, s.incident_members
    ids: BindParameter[list[str]] = bindparam("ids", expanding=True)
    return (
        delete(k).where(k.c.incident_id == bindparam("id")),
        select(m.c.mention_id, m.c.incident_id).where(
            m.c.mention_id.in_(ids), m.c.incident_id != bindparam("id")
        ),
        delete(m).where(m.c.incident_id == bindparam("id")),
        delete(m).where(m.c.mention_id.in_(ids)),
    )


@cache
def _incident_statements() -> tuple[Executable, Executable, Executable]:
    """The statements reading incidents, their keys and their members by id (``ids``),
    built once: they run for every candidate lookup."""
    t, k, m = s.incidents, s.incident_keys, s.incident_members
    ids: BindParameter[list[str]] = bindparam("ids", expanding=True)
    return (
        select(t).where(t.c.id.in_(ids)),
        select(k.c.incident_id, k.c.key).where(k.c.incident_id.in_(ids)),
        select(m.c.incident_id, m.c.position, m.c.mention_id).where(m.c.incident_id.in_(ids)),
    )


def _load_incidents(conn: Connection, ids: Sequence[str]) -> dict[str, Incident]:
    incidents, incident_keys, members_of = _incident_statements()
    rows: list[Any] = []
    keys: dict[str, set[str]] = {}
    members: dict[str, list[tuple[int, str]]] = {}
    for part in _chunks(list(dict.fromkeys(ids))):
        rows.extend(conn.execute(incidents, {"ids": part}))
        for iid, key in conn.execute(incident_keys, {"ids": part}):
            keys.setdefault(iid, set()).add(key)
        for iid, pos, mid in conn.execute(members_of, {"ids": part}):
            members.setdefault(iid, []).append((pos, mid))
    return {
        row.id: Incident(
            id=row.id,
            title=row.title,
            incident_type=row.incident_type,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            mention_ids=tuple(mid for _, mid in sorted(members.get(row.id, []))),
            article_ids=tuple(json.loads(row.article_ids)),
            keys=frozenset(keys.get(row.id, ())),
            reasons=tuple(json.loads(row.reasons)),
        )
        for row in rows
    }


def _load_articles(conn: Connection, ids: Sequence[str]) -> dict[str, Article]:
    out: dict[str, Article] = {}
    for part in _chunks(list(dict.fromkeys(ids))):
        for row in conn.execute(_articles_statement(), {"ids": part}):
            out[row.id] = Article(
                id=row.id,
                text=row.text,
                language=row.language,
                origin=row.origin,
                url=row.url,
                outlet=row.outlet,
                title=row.title,
                published=row.published,
                ingested_at=None
                if row.ingested_at is None
                else datetime.fromisoformat(row.ingested_at),
            )
    return out


@cache
def _articles_statement() -> Executable:
    """SELECT the articles of ids (``ids``), built once (see _incident_statements)."""
    t = s.articles
    return select(t).where(t.c.id.in_(bindparam("ids", expanding=True)))


def _oldest_first(article: Article) -> tuple[bool, date, str]:
    return (article.published is None, article.published or date.min, article.id)


def _load_incident_mentions(conn: Connection, ids: Sequence[str]) -> dict[str, IncidentMention]:
    t, link, c = s.incident_mentions, s.incident_mention_claims, s.claims
    rows: list[Any] = []
    links: dict[str, list[tuple[int, str]]] = {}
    for part in _chunks(list(dict.fromkeys(ids))):
        rows.extend(conn.execute(select(t).where(t.c.id.in_(part))))
        for mid, pos, cid in conn.execute(
            select(link.c.mention_id, link.c.position, link.c.claim_id).where(
                link.c.mention_id.in_(part)
            )
        ):
            links.setdefault(mid, []).append((pos, cid))
    claim_ids = list(dict.fromkeys(cid for pairs in links.values() for _, cid in pairs))
    claims: dict[str, Claim] = {}
    for part in _chunks(claim_ids):
        for row in conn.execute(select(c).where(c.c.id.in_(part))):
            claims[row.id] = _claim(row)
    return {
        row.id: IncidentMention(
            article_id=row.article_id,
            index=row.idx,
            title=row.title,
            claims=tuple(claims[cid] for _, cid in sorted(links.get(row.id, []))),
            keys=frozenset(json.loads(row.keys)),
            sentence_indices=tuple(json.loads(row.sentence_indices)),
            incident_type=row.incident_type,
            incident_types=tuple(json.loads(row.incident_types)),
            mention_only=row.mention_only,
            date=row.incident_date,
        )
        for row in rows
    }


def _mention(row: Any) -> Mention:
    return Mention(
        kind=row.kind,
        text=row.text,
        start=row.start_offset,
        end=row.end_offset,
        sentence_index=row.sentence_index,
        canonical_id=row.canonical_id,
        confidence=row.confidence,
    )


def _claim(row: Any) -> Claim:
    return Claim(
        kind=row.kind,
        evidence=Evidence(
            article_id=row.ev_article_id,
            sentence_index=row.ev_sentence_index,
            sentence=row.ev_sentence,
            start=row.ev_start,
            end=row.ev_end,
            cues=tuple(json.loads(row.ev_cues)),
        ),
        subject=row.subject,
        object=row.object,
        accuser=row.accuser,
        accuser_country=row.accuser_country,
        attribution_type=row.attribution_type,
        modality=row.modality,
        hedged_by_outlet=row.hedged_by_outlet,
        value=row.value,
        unit=row.unit,
        text=row.text,
        date_start=row.date_start,
        date_end=row.date_end,
    )
