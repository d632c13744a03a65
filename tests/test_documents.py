"""Tests for documents: cleaned text of record, stable ids, HTML, dates, language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from cyberveille.documents import (
    article_id,
    canonical_url,
    clean_text,
    detect_language,
    find_dateline,
    normalise_text,
    parse_date,
    to_article,
)
from cyberveille.errors import IngestError
from cyberveille.sources import iter_documents
from cyberveille.types import RawDocument, content_id

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

TEXT_EN = (
    "The United States and the United Kingdom blamed North Korea for the WannaCry "
    "ransomware, which hit more than 200,000 computers in 150 countries in May 2017."
)
TEXT_FR = (
    "Les États-Unis et le Royaume-Uni ont accusé la Corée du Nord d'être à l'origine "
    "du rançongiciel WannaCry, qui aurait touché plus de 200 000 ordinateurs en mai 2017."
)
PAGE = """<html><head><title>EU sanctions GRU officers | Example</title>
<meta property="article:published_time" content="2020-10-22T10:00:00Z">
<link rel="canonical" href="https://www.example.org/eu-gru-sanctions?utm_source=x">
<script>var tracking = 1;</script></head>
<body><nav>Home | World | Tech | Subscribe</nav>
<article><h1>EU sanctions GRU officers over the Bundestag hack</h1>
<p>The European Union on Thursday sanctioned two Russian military intelligence officers
and a GRU unit over the 2015 intrusion into the German parliament.</p>
<p>Investigators say the group known as APT28 stole about 16 gigabytes of data,
including emails from the office of Chancellor Angela Merkel.</p></article>
<footer>Copyright 2020 Example. All rights reserved.</footer></body></html>"""


def test_same_url_with_tracking_parameters_gives_same_id() -> None:
    base = "https://www.example.com/news/apt28?id=3"
    variants = [
        "HTTPS://WWW.EXAMPLE.COM/news/apt28?id=3",
        "https://www.example.com/news/apt28/?id=3&utm_source=twitter&utm_medium=social",
        "https://www.example.com/news/apt28?fbclid=abc&id=3#comments",
        "https://www.example.com:443/news/apt28?gclid=1&id=3",
        "  https://www.example.com/news/apt28?id=3  ",
    ]
    assert {canonical_url(v) for v in variants} == {base}
    assert {article_id(v, "ignored") for v in variants} == {content_id("url", base)}
    assert canonical_url("http://Example.com") == canonical_url("http://example.com/")
    assert canonical_url("https://example.com/a?b=2&a=1") == "https://example.com/a?a=1&b=2"
    assert canonical_url("not a url") == "not a url"


def test_same_text_with_different_whitespace_gives_same_id() -> None:
    one = "Le groupe « APT28 » aurait\tvisé le Bundestag.\n\nSelon Berlin, l’attaque date de 2015."
    two = (
        "  Le groupe \u00ab\u00a0APT28\u00a0\u00bb aurait visé\nle Bundestag. "
        "Selon Berlin, l'attaque date de 2015. "
    )
    decomposed = one.replace("é", "e\u0301")
    assert normalise_text(one) == normalise_text(two) == normalise_text(decomposed)
    assert article_id(None, one) == article_id("", two) == content_id("text", normalise_text(one))
    assert article_id(None, one) != article_id(None, one + " Autre phrase.")


def test_to_article_ids_are_stable_across_inputs() -> None:
    a = to_article(RawDocument(origin="a", text=TEXT_EN, url="https://x.org/p?utm_campaign=z"))
    b = to_article(RawDocument(origin="b", text=TEXT_EN + "\n\n", url="https://X.org/p/#top"))
    c = to_article(RawDocument(origin="c", text="  " + TEXT_EN.replace(" ", "  ")))
    d = to_article(RawDocument(origin="d", text=TEXT_EN))
    assert a.id == b.id == content_id("url", "https://x.org/p")
    assert a.url == "https://x.org/p"
    assert c.id == d.id != a.id


def test_clean_text_keeps_paragraphs_and_drops_controls() -> None:
    raw = "Title\r\n\r\n\r\n\r\nFirst   para\x07graph\u200b.  \n\n\n\tSecond\u00a0one.\x00\n"
    assert clean_text(raw) == "Title\n\nFirst paragraph.\n\nSecond one."
    assert clean_text("Cafe\u0301") == "Café"


def test_html_is_reduced_to_main_text_with_metadata() -> None:
    article = to_article(RawDocument(origin="page.html", text="", html=PAGE), now=NOW)
    assert "Bundestag" in article.text and "16 gigabytes" in article.text
    assert "Subscribe" not in article.text and "Copyright" not in article.text
    assert "tracking" not in article.text
    assert "\n" in article.text  # paragraphs kept as lines
    assert article.title == "EU sanctions GRU officers over the Bundestag hack"
    assert article.url == "https://www.example.org/eu-gru-sanctions"
    assert article.outlet == "example.org"
    assert article.published == date(2020, 10, 22)
    assert article.language == "en"
    assert article.ingested_at == NOW


def test_record_fields_win_over_html_metadata() -> None:
    raw = RawDocument(
        origin="r",
        text="",
        html=PAGE,
        title="Given title",
        url="https://given.example.net/x",
        published="2020-10-23",
        outlet="Given Outlet",
        language="en-GB",
    )
    article = to_article(raw, now=NOW)
    assert (article.title, article.url, article.published, article.outlet, article.language) == (
        "Given title",
        "https://given.example.net/x",
        date(2020, 10, 23),
        "Given Outlet",
        "en",
    )


def test_html_fallback_when_trafilatura_finds_nothing() -> None:
    html = "<html><body><div>Short page: APT28 hacked the parliament network.</div></body></html>"
    article = to_article(RawDocument(origin="short.html", text="", html=html), now=NOW)
    assert article.text == "Short page: APT28 hacked the parliament network."


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (RawDocument(origin="empty.html", text="", html="<html><body></body></html>"), "HTML"),
        (RawDocument(origin="script.html", text="", html="<script>var a = 1;</script>"), "HTML"),
        (RawDocument(origin="tiny.txt", text="Too short.\n\n"), "text"),
        (RawDocument(origin="ctrl.txt", text="\x00\x01\x02" * 20), "text"),
    ],
)
def test_no_usable_text_raises_ingest_error(raw: RawDocument, reason: str) -> None:
    with pytest.raises(IngestError, match=rf"^{raw.origin}: no usable text \({reason}"):
        to_article(raw, now=NOW)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "Failles Exchange\nPublié le 20 juillet 2021 à 10h32\nLe groupe aurait",
            date(2021, 7, 20),
        ),
        ("Exchange zero-days\nPublished March 3, 2021\nMicrosoft said", date(2021, 3, 3)),
        (
            " date 2021-07 19 2021 | Sécurité : le gouvernement britannique affirme",
            date(2021, 7, 19),
        ),
        ("Who hacked the committee?\nJun 17, 2016\nBy a researcher.", date(2016, 6, 17)),
        ("Titre\nMis à jour le 3 mars 2021\nTexte", date(2021, 3, 3)),
        # A date inside a long body sentence is an event date, not the publication date.
        (
            "Le gouvernement a révélé le 2 mars 2021 que des pirates avaient exploité des failles "
            "dans les serveurs de messagerie de milliers d'organisations.",
            None,
        ),
        ("Title\nPublished 3 March 2099\nText", None),  # in the future: not trusted
        ("Le rançongiciel a frappé en mai 2017.", None),  # no day: unsure
    ],
)
def test_find_dateline(head: str, expected: date | None) -> None:
    assert find_dateline(head, latest=NOW.date()) == expected


def test_published_from_record_and_from_dateline() -> None:
    assert parse_date("2021-07-20T08:00:00Z") == date(2021, 7, 20)
    assert parse_date("20 juillet 2021") == date(2021, 7, 20)
    assert parse_date("Tue, 02 Mar 2021 18:00:00 GMT") == date(2021, 3, 2)
    assert parse_date("not a date at all") is None
    raw = RawDocument(origin="x.txt", text="WannaCry\nPublié le 19 décembre 2017\n\n" + TEXT_FR)
    assert to_article(raw, now=NOW).published == date(2017, 12, 19)
    assert to_article(RawDocument(origin="y.txt", text=TEXT_FR), now=NOW).published is None


def test_detect_language() -> None:
    assert detect_language(TEXT_EN) == "en"
    assert detect_language(TEXT_FR) == "fr"
    assert detect_language("APT28") == "und"
    assert detect_language("") == "und"
    assert to_article(RawDocument(origin="f", text=TEXT_FR)).language == "fr"
    assert to_article(RawDocument(origin="f", text=TEXT_FR, language="FR")).language == "fr"
    assert to_article(RawDocument(origin="f", text=TEXT_FR, language="fra")).language == "fr"


def test_outlet_from_url_host() -> None:
    article = to_article(RawDocument(origin="o", text=TEXT_EN, url="https://www.lemonde.fr/a"))
    assert article.outlet == "lemonde.fr"
    assert to_article(RawDocument(origin="o", text=TEXT_EN)).outlet is None


def test_ingested_at_defaults_to_now_utc() -> None:
    article = to_article(RawDocument(origin="o", text=TEXT_EN))
    assert article.ingested_at is not None and article.ingested_at.tzinfo is not None


def test_bundled_examples_become_articles() -> None:
    articles = [
        to_article(doc, now=NOW)
        for doc in iter_documents([EXAMPLES])
        if isinstance(doc, RawDocument)
    ]
    assert len(articles) == 12
    assert len({a.id for a in articles}) == 12
    assert {a.language for a in articles} == {"en", "fr"}
    assert all(a.published is not None for a in articles)
    by_name = {Path(a.origin).name: a for a in articles}
    assert by_name["fr_2021-07_exchange_chine_accusation_conjointe.txt"].published == date(
        2021, 7, 20
    )
    assert by_name["en_2021-03_exchange_hafnium_microsoft.txt"].published == date(2021, 3, 3)
    for article in articles:
        assert 120 <= len(article.text.split()) <= 300, article.origin
