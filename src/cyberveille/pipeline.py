"""The main job: raw documents -> articles -> extractions -> store -> incidents, idempotently.

Every stage failure on one document is reported and skipped; nothing else is lost.
Each new article is linked to its near-duplicates (``duplicates.py``) before grouping;
storing, linking and grouping one article is one store transaction. An article already
stored is not extracted again, but its incident mentions left ungrouped (by a crash of
an older version, or by another writer) are grouped, so a re-run completes the work.
``reprocess`` re-extracts every stored article with the current rules and knowledge
base, regroups them in the order they were ingested and replays the analyst's decisions.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import TypeVar

from tqdm import tqdm

from cyberveille.analyst import Analyst, Outcome
from cyberveille.documents import distinct_article, to_article
from cyberveille.duplicates import link_article
from cyberveille.errors import IngestError, SourceError
from cyberveille.extract import Extractor
from cyberveille.incidents import Grouper
from cyberveille.kb import KnowledgeBase, load_kb
from cyberveille.similarity import Encode, default_encoder
from cyberveille.store import Store
from cyberveille.store.decisions import Decision, decisions
from cyberveille.store.search import forget_index
from cyberveille.types import Article, Extraction, RawDocument

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class RunReport:
    """What one run did: counts, errors (each naming its input) and article ids by origin."""

    added: int = 0
    existing: int = 0
    incidents_opened: int = 0
    incidents_joined: int = 0
    errors: list[SourceError] = field(default_factory=list)
    article_ids: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.added} article(s) added, {self.existing} already stored, "
            f"{self.incidents_opened} incident(s) opened, "
            f"{self.incidents_joined} mention(s) joined an existing incident, "
            f"{len(self.errors)} input(s) skipped"
        )


@dataclass
class ReprocessReport:
    """What ``reprocess`` did: articles re-extracted, grouping counts, decisions replayed."""

    extracted: int = 0
    run: RunReport = field(default_factory=RunReport)
    outcomes: list[Outcome] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines for people."""
        applied = sum(1 for o in self.outcomes if not o.skipped)
        lines = [
            f"{self.extracted} article(s) extracted again, "
            f"{self.run.incidents_opened} incident(s) opened, "
            f"{self.run.incidents_joined} mention(s) joined an existing incident, "
            f"{len(self.run.errors)} article(s) kept their previous extraction (errors), "
            f"{applied} of {len(self.outcomes)} analyst decision(s) applied"
        ]
        lines += [o.summary() for o in self.outcomes if o.skipped]
        return "\n".join(lines)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Pipeline:
    """Runs documents through every stage into one store."""

    def __init__(
        self,
        store: Store,
        kb: KnowledgeBase | None = None,
        extractor: Extractor | None = None,
        batch_size: int = 32,
        encode: Encode | None = default_encoder,
    ) -> None:
        self.store = store
        self.kb = kb or load_kb()
        self.extractor = extractor or Extractor(self.kb)
        self.grouper = Grouper(store, self.kb.get, encode)
        self.batch_size = batch_size

    def run(
        self,
        items: Iterable[RawDocument | SourceError],
        *,
        progress: bool = False,
        total: int | None = None,
    ) -> RunReport:
        """Process ``items`` (as yielded by ``cyberveille.sources.iter_documents``)."""
        report = RunReport()
        bar = tqdm(
            total=total, unit="doc", disable=not progress, file=sys.stderr, dynamic_ncols=True
        )
        try:
            for batch in _batches(items, self.batch_size):
                self._run_batch(batch, report)
                bar.update(len(batch))
        finally:
            bar.close()
        return report

    def reprocess(self, *, progress: bool = False) -> ReprocessReport:
        """Extract every stored article again, regroup all, replay the analyst's decisions.

        Articles are regrouped in the order they were ingested; a decision is replayed as
        soon as every article it names is regrouped (and in the order decisions were
        made), as it was when the analyst made it. An article whose extraction fails keeps
        its previous one. Running it twice gives the same incidents.
        """
        report = ReprocessReport()
        ids = self.store.article_ids_as_ingested()
        bar = tqdm(
            total=2 * len(ids),
            unit="step",
            disable=not progress,
            file=sys.stderr,
            dynamic_ncols=True,
        )
        try:
            for batch in _batches(ids, self.batch_size):
                articles = [a for i in batch if (a := self.store.article(i)) is not None]
                for extraction in self._extract(articles, report.run):
                    report.extracted += self.store.replace_extraction(extraction)
                bar.update(len(batch))
            forget_index(self.store)
            self.store.clear_incidents()
            analyst = Analyst(self.store, self.kb.get)
            pending = decisions(self.store)
            regrouped: set[str] = set()
            for article_id in ids:
                with self.store.transaction():
                    self._group(article_id, report.run)
                    regrouped.add(article_id)
                    while pending and _names_only(pending[0], regrouped):
                        report.outcomes.append(analyst.apply(pending.pop(0)))
                bar.update(1)
            report.outcomes.extend(analyst.apply(d) for d in pending)
        finally:
            bar.close()
        return report

    def _run_batch(self, batch: list[RawDocument | SourceError], report: RunReport) -> None:
        fresh: list[Article] = []
        seen: dict[str, str] = {}  # id -> text, in this batch
        for item in batch:
            if isinstance(item, SourceError):
                self._error(report, item)
                continue
            try:
                article = to_article(item, now=datetime.now(UTC))
            except IngestError as exc:
                self._error(report, SourceError(item.origin, str(exc)))
                continue
            article = distinct_article(article, self._text_at(article.id, seen))
            report.article_ids[item.origin] = article.id
            if article.id in seen or self.store.has_article(article.id):
                report.existing += 1
                if article.id not in seen:
                    with self.store.transaction():
                        self._group(article.id, report)  # what a crash left ungrouped
                seen[article.id] = article.text
                continue
            seen[article.id] = article.text
            fresh.append(article)
        extractions = self._extract(fresh, report)
        # One commit per batch instead of one per write (~10 per article): a crash loses
        # the batch's articles whole, and a re-run stores them again.
        with self.store.transaction():
            for extraction in extractions:
                self._save(extraction, report)

    def _text_at(self, article_id: str, seen: dict[str, str]) -> str | None:
        """The text already under an id: in this batch, else in the store."""
        if article_id in seen:
            return seen[article_id]
        stored = self.store.article(article_id)
        return stored.text if stored is not None else None

    def _extract(self, articles: list[Article], report: RunReport) -> list[Extraction]:
        """Extract a batch with one ``nlp.pipe``; on failure, retry one by one to isolate it."""
        try:
            return list(self.extractor.extract_many(articles))
        except Exception:
            log.debug("batch extraction failed; retrying article by article", exc_info=True)
        extractions: list[Extraction] = []
        for article in articles:
            try:
                extractions.append(self.extractor.extract(article))
            except Exception as exc:  # one article must never stop the batch
                log.exception("extraction failed for %s", article.origin)
                self._error(report, SourceError(article.origin, f"extraction failed: {exc!r}"))
        return extractions

    def _save(self, extraction: Extraction, report: RunReport) -> None:
        if not self.store.save_extraction(extraction):
            report.existing += 1
            return
        report.added += 1
        report.notes.extend(f"{extraction.article.origin}: {n}" for n in extraction.notes)
        # just stored, so none of its mentions is grouped yet: no need to read them back
        self._group(extraction.article.id, report, extraction)

    def _group(self, article_id: str, report: RunReport, fresh: Extraction | None = None) -> None:
        if fresh is None:
            stored = self.store.article(article_id)
            text = stored.text if stored else ""
            mentions = [
                m
                for m in self.store.incident_mentions(article_id)
                if self.store.incident_of_mention(m.id) is None
            ]
        else:
            text, mentions = fresh.article.text, list(fresh.incident_mentions)
        link_article(self.store, article_id, text)  # before grouping: grouping reads the links
        for mention in mentions:
            assignment = self.grouper.assign(mention)
            if assignment.opened:
                report.incidents_opened += 1
            else:
                report.incidents_joined += 1

    @staticmethod
    def _error(report: RunReport, error: SourceError) -> None:
        log.warning("%s", error)
        report.errors.append(error)


def _names_only(decision: Decision, articles: set[str]) -> bool:
    """Every article the decision names is among ``articles``."""
    return all(a in articles for a, _ in (*decision.parts, *decision.anchors))
