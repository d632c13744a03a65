"""SQLAlchemy Core tables of the store: text ids, JSON as text, explicit indexes, portable SQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
)

SCHEMA_VERSION = 2

# Stand-ins for open date bounds in ``incident_keys`` so that the date-window filter of
# candidate lookups is a plain index range (no ``OR ... IS NULL``). Never returned to callers.
DATE_MIN = date(1, 1, 1)
DATE_MAX = date(9999, 12, 31)

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("text", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("published", Date),
    # ISO 8601 text, so that timezone-aware datetimes round-trip exactly on every backend.
    Column("ingested_at", Text),
    Column("notes", Text, nullable=False, default="[]"),  # JSON list of the extraction's notes
    Index("ix_articles_published_id", "published", "id"),
)

sentences = Table(
    "sentences",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("start_offset", Integer),  # None when the sentence is not found in the article text
)

mentions = Table(
    "mentions",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("kind", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("start_offset", Integer, nullable=False),
    Column("end_offset", Integer, nullable=False),
    Column("sentence_index", Integer, nullable=False),
    Column("canonical_id", Text),
    Column("confidence", Float, nullable=False),
    Index("ix_mentions_canonical_id", "canonical_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Text, primary_key=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    # Position in Extraction.claims; NULL for a claim held only by incident mentions.
    Column("idx", Integer),
    Column("kind", Text, nullable=False),
    Column("subject", Text),
    Column("object", Text),
    Column("accuser", Text),
    Column("accuser_country", Text),
    Column("attribution_type", Text),
    Column("modality", Text, nullable=False),
    Column("hedged_by_outlet", Boolean, nullable=False),
    Column("value", Float),
    Column("unit", Text),
    Column("text", Text),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("ev_article_id", Text, nullable=False),
    Column("ev_sentence_index", Integer, nullable=False),
    Column("ev_sentence", Text, nullable=False),
    Column("ev_start", Integer, nullable=False),
    Column("ev_end", Integer, nullable=False),
    Column("ev_cues", Text, nullable=False),  # JSON list
    Index("ix_claims_article_idx", "article_id", "idx"),
    Index("ix_claims_kind_subject", "kind", "subject"),
    Index("ix_claims_object", "object"),
)

incident_mentions = Table(
    "incident_mentions",
    metadata,
    Column("id", Text, primary_key=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("keys", Text, nullable=False),  # JSON list, sorted
    Column("incident_type", Text),
    Column("incident_types", Text, nullable=False, default="[]"),  # JSON list, primary first
    Column("mention_only", Boolean, nullable=False),
    Column("incident_date", Date),
    Column("sentence_indices", Text, nullable=False),  # JSON list
    Index("ix_incident_mentions_article_idx", "article_id", "idx"),
)

# Ordered claims of one incident mention (a claim may belong to several mentions, or none).
incident_mention_claims = Table(
    "incident_mention_claims",
    metadata,
    Column(
        "mention_id",
        Text,
        ForeignKey("incident_mentions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("claim_id", Text, ForeignKey("claims.id", ondelete="CASCADE"), nullable=False),
    Index("ix_incident_mention_claims_claim_id", "claim_id"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Text, primary_key=True),
    Column("title", Text, nullable=False),
    Column("incident_type", Text),
    Column("first_seen", Date),
    Column("last_seen", Date),
    Column("article_ids", Text, nullable=False),  # JSON list, in the caller's order
    Column("reasons", Text, nullable=False),  # JSON list
    Index("ix_incidents_first_seen_id", "first_seen", "id"),
)

# One row per (incident, key). first/last seen are copied here (open bounds as DATE_MIN /
# DATE_MAX) so that "key in (...) and window overlaps" is answered from one index.
incident_keys = Table(
    "incident_keys",
    metadata,
    Column(
        "incident_id",
        Text,
        ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("key", Text, primary_key=True),
    Column("first_seen", Date, nullable=False),
    Column("last_seen", Date, nullable=False),
    Index("ix_incident_keys_key_last_seen", "key", "last_seen", "first_seen", "incident_id"),
)

# A mention belongs to exactly one incident (mention_id is the primary key). No foreign key
# to incident_mentions: the incidents stage may hold mentions whose article is stored later.
incident_members = Table(
    "incident_members",
    metadata,
    Column("mention_id", Text, primary_key=True),
    Column(
        "incident_id",
        Text,
        ForeignKey("incidents.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Index("ix_incident_members_incident_position", "incident_id", "position"),
)

# Description embedding of an incident: the sum of its members' unit vectors (float32 bytes),
# kept so that assignment compares a new mention without re-encoding the incident's text.
incident_vectors = Table(
    "incident_vectors",
    metadata,
    Column(
        "incident_id",
        Text,
        ForeignKey("incidents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("vector", LargeBinary, nullable=False),
    Column("members", Integer, nullable=False),  # how many mention vectors were summed
)

# Near-duplicate detection (cyberveille.duplicates): one MinHash sketch per article and the
# canonical article of its cluster (itself when it duplicates none).
article_sketches = Table(
    "article_sketches",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
    Column("canonical_id", Text, nullable=False),
    Index("ix_article_sketches_canonical_id", "canonical_id", "article_id"),
)

# LSH band keys of each sketch: articles sharing a band may be near-duplicates.
article_bands = Table(
    "article_bands",
    metadata,
    Column("band", Text, primary_key=True),
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)

# Analyst decisions (cyberveille.analyst): merge, split or move, in the order they were
# made. They name article parts ([article id, part number]), never incident ids, since
# incident ids are recomputed when everything is processed again; ``reprocess`` replays them.
decisions = Table(
    "decisions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("action", Text, nullable=False),  # merge | split | move
    Column("parts", Text, nullable=False),  # JSON [[article_id, idx], ...]: what moves
    Column("anchors", Text, nullable=False),  # JSON, same shape: where it goes ([] for split)
    Column("note", Text, nullable=False, default=""),
    Column("made_at", Text, nullable=False),
)
