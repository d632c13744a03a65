"""Documents: RawDocument -> Article (HTML to text, clean text of record, language, date, id)."""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cyberveille.errors import IngestError
from cyberveille.languages import available_languages, rule_entries
from cyberveille.types import Article, RawDocument, content_id

MIN_TEXT_CHARS = 20
DATELINE_WINDOW = 200

# Languages the identifier may answer besides those with a rule file: the languages
# most often met in cyber news, so that a German or Russian article is not called "en".
LANGUAGES = (
    "en", "fr", "de", "es", "it", "nl", "pt", "pl", "ru", "uk",
    "zh", "ja", "ko", "ar", "fa", "he", "tr",
)  # fmt: skip
DATE_SETTINGS: dict[str, Any] = {
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
}

DATELINE_MAX_LINE = 60
DATELINE_AFTER_CUE = 40
# Scraped headers such as " date 2021-07 19 2021 | ..." (year-month, day, year) that
# dateparser does not read: hand-written because it is a fixed, unambiguous shape.
SCRAPED_HEADER_DATE = re.compile(r"\b(\d{4})-(\d{1,2}) (\d{1,2}) (\d{4})\b")

# control characters (Unicode category Cc: C0, DEL and C1) other than the line break and tab
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u00ad\u2060"))
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_ANY_SPACE = re.compile(r"\s+")
# Quote variants folded for hashing only (the text of record keeps its quotes).
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u00b4": "'", "\u0060": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2039": "'", "\u203a": "'",
    }
)  # fmt: skip


def to_article(raw: RawDocument, *, now: datetime | None = None) -> Article:
    """Turn a raw document into the cleaned article the rest of the pipeline reads.

    HTML is reduced to its main text with trafilatura (paragraphs as lines), falling
    back to all the visible text when trafilatura finds nothing; the HTML metadata
    fills the title, URL and date the record lacks. The returned ``Article.text`` is
    the text of record: sentence offsets downstream are computed on it.

    Args:
        raw: The document as a source yielded it.
        now: Ingestion time to record (defaults to the current UTC time); also the
            latest date accepted for a dateline found in the text.

    Returns:
        The article, its id derived from the canonical URL, else from the text;
        ``Article.url`` holds the canonical URL.

    Raises:
        IngestError: When no usable text remains (e.g. HTML without content, or
            fewer than ``MIN_TEXT_CHARS`` characters after cleaning).
    """
    ingested_at = now or datetime.now(UTC)
    meta: dict[str, str | None] = {}
    text = raw.text
    if raw.html and raw.html.strip():
        extracted, meta = _html_to_text(raw.html, raw.url)
        if not text.strip():
            text = extracted
    text = clean_text(text)
    if len(text) < MIN_TEXT_CHARS:
        what = "HTML without extractable text" if raw.html and not raw.text.strip() else "text"
        raise IngestError(
            f"{raw.origin}: no usable text ({what}: {len(text)} characters after cleaning, "
            f"at least {MIN_TEXT_CHARS} needed)"
        )
    url = _strip_or_none(raw.url) or meta.get("url")
    url = canonical_url(url) if url else None  # stored without tracking parameters
    published = parse_date(raw.published) if raw.published else None
    if published is None and meta.get("date"):
        published = parse_date(meta["date"] or "")
    if published is None:
        published = find_dateline(text, latest=ingested_at.date())
    title = _one_line(raw.title) or _one_line(meta.get("title"))
    language = _language_code(raw.language) or detect_language(text)
    return Article(
        id=article_id(url, text),
        text=text,
        language=language,
        origin=raw.origin,
        url=url,
        outlet=_strip_or_none(raw.outlet) or _outlet_from_url(url),
        title=title,
        published=published,
        ingested_at=ingested_at,
    )


def article_id(url: str | None, text: str) -> str:
    """Return the article id: from the canonical URL when there is one, else from the text.

    Args:
        url: The article URL, or None.
        text: The article text (used only when ``url`` is empty).

    Returns:
        ``content_id("url", canonical_url(url))`` or ``content_id("text", normalise_text(text))``.
    """
    if url and url.strip():
        return content_id("url", canonical_url(url))
    return content_id("text", normalise_text(text))


def distinct_article(article: Article, text_at_id: str | None) -> Article:
    """The article as stored beside another text already under its URL's id.

    A feed or archive may give two stories one link (a wrong or reused URL), and a site
    may rewrite a story at its URL. Neither text is lost: when ``text_at_id`` (the text
    already stored or seen under ``article.id``) differs from this one, this one gets an id
    from its URL and its text, the same on every run, so a re-run finds both.

    Args:
        article: the new article.
        text_at_id: the text already under ``article.id``, or None.

    Returns:
        ``article`` itself, or a copy with its own id.
    """
    if not article.url or text_at_id is None:
        return article
    text = normalise_text(article.text)
    if normalise_text(text_at_id) == text:
        return article
    return replace(article, id=content_id("url", canonical_url(article.url), "text", text))


def canonical_url(url: str) -> str:
    """Return the form of a URL used for identity.

    Scheme and host lowercased, default port dropped, tracking parameters (``utm_*``,
    ``fbclid``, ``gclid``...) removed and the rest sorted (courlan), fragment and
    trailing slash dropped. A string that is not an absolute URL comes back stripped.

    Args:
        url: Any URL string.

    Returns:
        The canonical URL.
    """
    from courlan import normalize_url  # trafilatura dependency; imported lazily

    url = url.strip()
    try:
        normal = normalize_url(url, strict=False, trailing_slash=False)
    except (ValueError, AttributeError):
        return url
    parts = urlsplit(normal)
    if not (parts.scheme and parts.netloc):
        return url
    # courlan keeps the trailing slash when there is a query; drop it in every case.
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def normalise_text(text: str) -> str:
    """Return the text in the form used for hashing.

    NFC, typographic quotes folded to ASCII ones, every whitespace run (line breaks
    included) collapsed to one space, ends stripped.

    Args:
        text: Any text.

    Returns:
        The normalised text.
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_QUOTES)
    return _ANY_SPACE.sub(" ", text).strip()


def clean_text(text: str) -> str:
    """Return the text of record: NFC, no control characters, paragraphs kept.

    Line breaks unified to ``\\n``, other whitespace runs to one space, lines
    stripped, runs of blank lines collapsed to one blank line.

    Args:
        text: Raw text (from a file, a record or the HTML extractor).

    Returns:
        The cleaned text.
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language, or ``"und"`` when too short.

    Uses py3langid (offline) restricted to ``LANGUAGES``.

    Args:
        text: The text to identify.

    Returns:
        A two-letter code such as ``"fr"`` or ``"en"``, or ``"und"``.
    """
    sample = text[:10_000]
    if len(sample.strip()) < MIN_TEXT_CHARS or len(re.findall(r"\w{2,}", sample)) < 3:
        return "und"
    code, _ = _identifier().classify(sample)
    return str(code)


def parse_date(value: str) -> date | None:
    """Parse a date string (ISO 8601, "20 juillet 2021", "March 3, 2021"...) into a date.

    Args:
        value: The date as written in a record or page.

    Returns:
        The date, or None when it cannot be read.
    """
    value = value.strip()
    if not value:
        return None
    # Fast path: ISO strings (most records) without dateparser's cost.
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    parsed = _dateparser().parse(value, languages=date_languages(), settings=DATE_SETTINGS)
    return parsed.date() if parsed else None


def find_dateline(text: str, *, latest: date | None = None) -> date | None:
    """Find the publication date in the first characters of an article, if it is clear.

    A date counts only when it has day, month and year and sits on a dateline: just
    after a cue word ("Publié le", "Published", "Updated"...) or on a short line of
    its own. Dates after ``latest`` (plus a day) are ignored.

    Args:
        text: The article text.
        latest: Latest acceptable date (e.g. the ingestion date); None for no bound.

    Returns:
        The date, or None when unsure.
    """
    head = text[:DATELINE_WINDOW]
    bound = latest + timedelta(days=1) if latest else None
    match = SCRAPED_HEADER_DATE.search(head)
    if match and match.group(1) == match.group(4):
        try:
            found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            found = None
        if found and (bound is None or found <= bound):
            return found
    from dateparser.search import search_dates

    settings = {
        **DATE_SETTINGS,
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Absolute dates only: "last week" says nothing about the publication date.
        "PARSERS": ["custom-formats", "absolute-time"],
    }
    for line in head.split("\n"):
        line = line.strip()
        # Where to look: right after each cue word, and the whole line when it is short.
        # (dateparser's search is easily thrown by the words around a date, e.g.
        # "Mis à jour le 3 mars 2021", so it is given only these small windows.)
        windows = [
            line[cue.end() : cue.end() + DATELINE_AFTER_CUE]
            for cue in dateline_cues().finditer(line)
        ]
        if len(line) <= DATELINE_MAX_LINE:
            windows.append(line)
        for window in windows:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # dateparser warns about tz internals
                hits = search_dates(window, languages=date_languages(), settings=settings) or []
            for _, when in hits:
                if bound is None or when.date() <= bound:
                    return when.date()
    return None


# -- helpers -----------------------------------------------------------------------------


def _html_to_text(html: str, url: str | None) -> tuple[str, dict[str, str | None]]:
    """Extract main text and metadata with trafilatura; fall back to lxml's visible text."""
    import trafilatura

    meta: dict[str, str | None] = {}
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # trafilatura raises assorted errors on broken markup
        doc = None
    text = ""
    if doc is not None and not isinstance(doc, dict):
        text = doc.text or ""
        meta = {"title": doc.title, "date": doc.date, "url": doc.url}
    if not text.strip():
        text = _visible_text(html)
    return text, meta


def _visible_text(html: str) -> str:
    """All visible text of a page, one block element per line (fallback extractor)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    for block in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"):
        block.tail = "\n" + (block.tail or "")
    return str(root.text_content())


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(canonical_url(url)).hostname or ""
    host = host.removeprefix("www.")
    return host or None


def _language_code(value: str | None) -> str | None:
    """Map a record's language ("fr", "FR", "fr-FR", "en_US") to its ISO 639-1 code."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    if re.fullmatch(r"[a-z]{2}", code):
        return code
    if re.fullmatch(r"[a-z]{3}", code):
        import pycountry

        found = pycountry.languages.get(alpha_3=code)
        return getattr(found, "alpha_2", None) if found else None
    return None


def _strip_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _one_line(value: str | None) -> str | None:
    if not value:
        return None
    return _ANY_SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip() or None


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    wanted = set(LANGUAGES) | set(available_languages())
    identifier.set_languages(sorted(wanted & set(identifier.nb_classes)))
    return identifier


@cache
def dateline_cues() -> re.Pattern[str]:
    """Words that mark a line as a dateline ("Publié le 20 juillet 2021", "Updated: ..."):
    the ``dateline_cues`` of every language read (cyberveille/languages.py), in any of
    them, since the article's language is not known yet."""
    words = {str(word) for word in rule_entries("dateline_cues")}
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


@cache
def date_languages() -> list[str]:
    """The languages dates are read in: those the project reads that dateparser knows."""
    from dateparser.data import languages_info

    known = set(languages_info.language_order)
    return [code for code in available_languages() if code in known]


@cache
def _dateparser() -> Any:
    import dateparser

    return dateparser
