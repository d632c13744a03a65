"""Seeded synthetic cyber-incident news for benchmarks: article texts (fr/en) and store objects.

Everything is derived from a seed and an index, so the same call gives the same output.
Actors, sponsors, malware, products and accusers come from the knowledge base (actors
drawn with a long-tailed popularity, as in the news); victims, CVE ids and dates are
generated. Two ways to use it:

    from synthetic import Synthetic, fill_store        # with bench/ on sys.path
    gen = Synthetic(load_kb(), seed=0)
    spec = gen.incident(7)                # IncidentSpec: what incident 7 is
    doc = gen.document(spec, report=0)    # RawDocument: an article about it (fr or en)
    docs = list(gen.documents(100))       # 100 articles, ~1.5 articles per incident
    ex = gen.extraction(spec, report=0)   # Extraction with claims and one IncidentMention,
                                          # built without NLP (fast path for big stores)
    fill_store(store, gen, 10_000)        # 10,000 incidents in the store, each with one
                                          # article, its claims and its incident mention

``fill_store`` writes extractions in batches and opens one incident per spec the way
the grouper opens one (same id, keys and reason), without running the grouper, so a
store holds 100k incidents in a few minutes.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from cyberveille.kb import KnowledgeBase
from cyberveille.kb.entity import Entity
from cyberveille.store import Store
from cyberveille.types import (
    Article,
    Claim,
    Evidence,
    Extraction,
    IncidentMention,
    IncidentType,
    RawDocument,
    content_id,
)

# Victim countries with their English and French names (the French with its article).
COUNTRIES: dict[str, tuple[str, str]] = {
    "US": ("the United States", "les États-Unis"),
    "FR": ("France", "la France"),
    "DE": ("Germany", "l'Allemagne"),
    "GB": ("the United Kingdom", "le Royaume-Uni"),
    "UA": ("Ukraine", "l'Ukraine"),
    "IT": ("Italy", "l'Italie"),
    "ES": ("Spain", "l'Espagne"),
    "BE": ("Belgium", "la Belgique"),
    "NL": ("the Netherlands", "les Pays-Bas"),
    "PL": ("Poland", "la Pologne"),
    "JP": ("Japan", "le Japon"),
    "IN": ("India", "l'Inde"),
    "CA": ("Canada", "le Canada"),
    "AU": ("Australia", "l'Australie"),
    "TW": ("Taiwan", "Taïwan"),
    "KR": ("South Korea", "la Corée du Sud"),
}
CITIES: dict[str, tuple[str, ...]] = {
    "US": ("Dallas", "Baltimore", "Atlanta", "Denver", "Portland"),
    "FR": ("Rennes", "Lille", "Nantes", "Dijon", "Brest"),
    "DE": ("Potsdam", "Leipzig", "Bremen", "Kassel"),
    "GB": ("Leeds", "Bristol", "Glasgow", "Hull"),
    "UA": ("Kharkiv", "Lviv", "Odesa"),
    "IT": ("Torino", "Bologna", "Verona"),
    "ES": ("Sevilla", "Bilbao", "Valencia"),
    "BE": ("Liège", "Gent", "Namur"),
    "NL": ("Utrecht", "Delft", "Groningen"),
    "PL": ("Gdańsk", "Kraków", "Poznań"),
    "JP": ("Osaka", "Nagoya", "Sendai"),
    "IN": ("Pune", "Chennai", "Jaipur"),
    "CA": ("Ottawa", "Calgary", "Halifax"),
    "AU": ("Perth", "Adelaide", "Hobart"),
    "TW": ("Taichung", "Tainan", "Hsinchu"),
    "KR": ("Busan", "Incheon", "Daegu"),
}
# French names of the states most often said to sponsor actors (others: the KB's name).
SPONSORS_FR = {
    "CN": "la Chine",
    "RU": "la Russie",
    "IR": "l'Iran",
    "KP": "la Corée du Nord",
    "US": "les États-Unis",
    "IN": "l'Inde",
    "PK": "le Pakistan",
    "VN": "le Viêt Nam",
}
# (sector, English pattern, French pattern) for victim organisations.
VICTIMS: tuple[tuple[str, str, str], ...] = (
    ("Health", "{city} General Hospital", "le centre hospitalier de {city}"),
    ("Government, Administration", "the city council of {city}", "la mairie de {city}"),
    ("Education", "the University of {city}", "l'université de {city}"),
    ("Energy", "{city} Power & Light", "le fournisseur d'énergie de {city}"),
    ("Telecoms", "{city} Telecom", "l'opérateur télécom de {city}"),
    ("Finance", "the {city} Savings Bank", "la caisse d'épargne de {city}"),
    ("Transport", "the {city} port authority", "l'autorité portuaire de {city}"),
    ("Defense", "a defence contractor based in {city}", "un industriel de défense de {city}"),
)
INCIDENT_TYPES: tuple[IncidentType, ...] = (
    "espionage",
    "ransomware",
    "data_theft",
    "disruption",
    "wiper",
    "phishing",
)
VERBS_EN = {
    "espionage": "spied on",
    "ransomware": "encrypted the systems of",
    "data_theft": "stole data from",
    "disruption": "disrupted",
    "wiper": "wiped the servers of",
    "phishing": "sent phishing e-mails to",
}
VERBS_FR = {
    "espionage": "a espionné",
    "ransomware": "a chiffré les systèmes de",
    "data_theft": "a dérobé des données à",
    "disruption": "a paralysé",
    "wiper": "a effacé les serveurs de",
    "phishing": "a visé par hameçonnage",
}
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# Each template is a list of sentences; every sentence names at most one claim's evidence.
TEMPLATES_EN: tuple[tuple[str, ...], ...] = (
    (
        "{victim} in {country} said on {day} that it had been hit by a cyberattack.",
        "{accuser} attributed the intrusion to {actor}, a group it links to {sponsor}.",
        "The attackers exploited {cve} in {product} and deployed {malware}.",
        "Investigators said the group {verb} the organisation for several weeks.",
    ),
    (
        "{accuser} on {day} blamed {actor} for an attack on {victim}.",
        "According to the report, {actor} {verb} {victim} after exploiting {cve} in {product}.",
        "The {malware} malware was found on several servers.",
        "{sponsor} has denied any involvement.",
    ),
    (
        "A hacking group known as {actor} is behind the breach disclosed on {day} by {victim}.",
        "Security researchers at {accuser} said {malware} was used against {country}.",
        "The group, tied to {sponsor}, entered through a flaw in {product} ({cve}).",
    ),
)
TEMPLATES_FR: tuple[tuple[str, ...], ...] = (
    (
        "{victim} a annoncé le {day} avoir été victime d'une cyberattaque.",
        "{accuser} attribue l'intrusion au groupe {actor}, lié selon lui à {sponsor}.",
        "Les assaillants ont exploité la faille {cve} de {product} et déployé {malware}.",
        "Selon les enquêteurs, le groupe {verb} l'organisation pendant plusieurs semaines.",
    ),
    (
        "Le {day}, {accuser} a accusé {actor} d'avoir attaqué {victim}.",
        "D'après le rapport, {actor} {verb} {victim} en exploitant {cve} dans {product}.",
        "Le logiciel malveillant {malware} a été retrouvé sur plusieurs serveurs.",
        "{sponsor} dément toute implication.",
    ),
    (
        "Le groupe {actor} serait derrière la fuite révélée le {day} par {victim}.",
        "Les chercheurs de {accuser} affirment que {malware} a servi contre {country}.",
        "Le groupe, lié à {sponsor}, est entré par une faille de {product} ({cve}).",
    ),
)
START = date(2015, 1, 1)
DAYS = 11 * 365  # incidents spread over 2015-2025


@dataclass(frozen=True)
class IncidentSpec:
    """One synthetic incident: who, against whom, how and when (all ids canonical)."""

    index: int
    actor: Entity
    sponsor: str  # country:XX of the actor
    accuser: Entity
    victim_country: str  # ISO alpha-2
    victim_sector: str
    victim_en: str
    victim_fr: str
    incident_type: IncidentType
    cve: str
    product: Entity
    malware: Entity
    day: date

    @property
    def victim_id(self) -> str:
        return "org:" + content_id("victim", self.victim_en)[:12]


class Synthetic:
    """Generator of incidents, articles and extractions; see the module docstring."""

    def __init__(self, kb: KnowledgeBase, seed: int = 0, french_share: float = 0.4) -> None:
        self.kb = kb
        self.seed = seed
        self.french_share = french_share
        self.actors = sorted(
            (e for e in kb.entities("threat_actor") if e.country and e.country != "EU"),
            key=lambda e: e.id,
        )
        self.malware = sorted(kb.entities("malware"), key=lambda e: e.id)
        self.products = sorted(kb.entities("product"), key=lambda e: e.id)
        self.accusers = sorted(
            (
                e
                for e in kb.entities("institution")
                if e.institution_type in ("agency", "company", "government")
            ),
            key=lambda e: e.id,
        )
        # Long tail: the actor of rank r is drawn with weight 1 / (r + 1).
        shuffled = list(self.actors)
        random.Random(seed).shuffle(shuffled)
        self.actors = shuffled
        self._actor_weights = [1.0 / (r + 1) for r in range(len(shuffled))]

    def incident(self, index: int) -> IncidentSpec:
        """The incident number ``index`` (the same for the same seed)."""
        rng = random.Random(f"{self.seed}:incident:{index}")
        actor = rng.choices(self.actors, weights=self._actor_weights)[0]
        country = rng.choice(sorted(COUNTRIES))
        city = rng.choice(CITIES[country])
        sector, en, fr = rng.choice(VICTIMS)
        return IncidentSpec(
            index=index,
            actor=actor,
            sponsor=f"country:{actor.country}",
            accuser=rng.choice(self.accusers),
            victim_country=country,
            victim_sector=sector,
            victim_en=en.format(city=city),
            victim_fr=fr.format(city=city),
            incident_type=rng.choice(INCIDENT_TYPES),
            cve=f"CVE-{rng.randint(2014, 2025)}-{rng.randint(1000, 49999)}",
            product=rng.choice(self.products),
            malware=rng.choice(self.malware),
            day=START + timedelta(days=rng.randrange(DAYS)),
        )

    def language(self, spec: IncidentSpec, report: int) -> str:
        """The language of report ``report`` about ``spec``."""
        rng = random.Random(f"{self.seed}:lang:{spec.index}:{report}")
        return "fr" if rng.random() < self.french_share else "en"

    def sentences(self, spec: IncidentSpec, report: int) -> tuple[str, ...]:
        """The sentences of report ``report`` (0, 1, ...) about ``spec``; later reports
        come days to months after the incident."""
        language = self.language(spec, report)
        rng = random.Random(f"{self.seed}:text:{spec.index}:{report}")
        day = self.published(spec, report)
        sponsor = self.kb.get(spec.sponsor)
        english, french = COUNTRIES.get(spec.victim_country, (spec.victim_country,) * 2)
        if language == "fr":
            template = rng.choice(TEMPLATES_FR)
            values = {
                "victim": spec.victim_fr,
                "country": french,
                "day": f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}",
                "verb": VERBS_FR[spec.incident_type],
                "sponsor": SPONSORS_FR.get(spec.sponsor[8:], sponsor.name if sponsor else ""),
            }
        else:
            template = rng.choice(TEMPLATES_EN)
            values = {
                "victim": spec.victim_en,
                "country": english,
                "day": day.strftime("%B %d, %Y").replace(" 0", " "),
                "verb": VERBS_EN[spec.incident_type],
                "sponsor": sponsor.name if sponsor else spec.sponsor,
            }
        values.update(
            actor=spec.actor.name,
            accuser=spec.accuser.name,
            cve=spec.cve,
            product=spec.product.name,
            malware=spec.malware.name,
        )
        filled = (s.format(**values) for s in template)
        return tuple(s[:1].upper() + s[1:] for s in filled)

    def published(self, spec: IncidentSpec, report: int) -> date:
        """Publication date of report ``report``: the first within days, later ones months later."""
        rng = random.Random(f"{self.seed}:day:{spec.index}:{report}")
        return spec.day + timedelta(days=rng.randint(0, 5) + 45 * report)

    def document(self, spec: IncidentSpec, report: int = 0) -> RawDocument:
        """A raw article (as a source would yield it) about ``spec``."""
        language = self.language(spec, report)
        text = " ".join(self.sentences(spec, report))
        return RawDocument(
            origin=f"synthetic:{self.seed}:{spec.index}:{report}",
            text=text,
            title=f"{spec.actor.name} / {spec.victim_en}",
            published=self.published(spec, report).isoformat(),
            outlet=f"synthetic-{report % 5}",
            language=language,
        )

    def documents(self, count: int, reports_per_incident: float = 1.5) -> Iterator[RawDocument]:
        """``count`` articles over about ``count / reports_per_incident`` incidents."""
        rng = random.Random(f"{self.seed}:documents")
        index = 0
        produced = 0
        while produced < count:
            spec = self.incident(index)
            reports = 1 + (rng.random() < reports_per_incident - 1)
            for report in range(min(reports, count - produced)):
                yield self.document(spec, report)
                produced += 1
            index += 1

    def extraction(self, spec: IncidentSpec, report: int = 0) -> Extraction:
        """What the extractor would store for ``document(spec, report)``, built without NLP."""
        sentences = self.sentences(spec, report)
        language = self.language(spec, report)
        text = " ".join(sentences)
        article = Article(
            id=content_id("synthetic-article", str(self.seed), str(spec.index), str(report)),
            text=text,
            language=language,
            origin=f"synthetic:{self.seed}:{spec.index}:{report}",
            outlet=f"synthetic-{report % 5}",
            title=f"{spec.actor.name} / {spec.victim_en}",
            published=self.published(spec, report),
            ingested_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        starts = _starts(sentences)

        def evidence(i: int) -> Evidence:
            return Evidence(article.id, i, sentences[i], starts[i], starts[i] + len(sentences[i]))

        claims = (
            Claim(
                "attribution",
                evidence(1),
                subject=spec.actor.id,
                accuser=spec.accuser.id,
                accuser_country=spec.accuser.country,
                attribution_type="technical_report"
                if spec.accuser.institution_type == "company"
                else "political_statement",
            ),
            Claim("sponsorship", evidence(1), subject=spec.actor.id, object=spec.sponsor),
            Claim("targeting", evidence(0), subject=spec.actor.id, object=spec.victim_id),
            Claim(
                "targeting",
                evidence(0),
                subject=spec.actor.id,
                object=f"country:{spec.victim_country}",
            ),
            Claim("use", evidence(2), subject=spec.actor.id, object=f"cve:{spec.cve}"),
            Claim("use", evidence(2), subject=spec.actor.id, object=spec.product.id),
            Claim("use", evidence(2), subject=spec.actor.id, object=spec.malware.id),
            Claim("date", evidence(0), date_start=spec.day, date_end=spec.day),
        )
        mention = IncidentMention(
            article_id=article.id,
            index=0,
            title=f"{spec.actor.name}: {spec.incident_type} against {spec.victim_en}",
            claims=claims,
            keys=frozenset({spec.actor.id, f"cve:{spec.cve}", spec.product.id, spec.malware.id}),
            sentence_indices=tuple(range(len(sentences))),
            incident_type=spec.incident_type,
            date=spec.day,
        )
        return Extraction(
            article=article,
            sentences=sentences,
            mentions=(),
            claims=claims,
            incident_mentions=(mention,),
        )


def fill_store(
    store: Store,
    gen: Synthetic,
    incidents: int,
    *,
    start: int = 0,
    batch: int = 500,
    sketch: bool = False,
) -> int:
    """Add incidents ``start .. start + incidents - 1`` of ``gen`` to ``store``, each with one
    article, its claims and its incident mention; returns how many articles were new.
    ``sketch`` also stores each article's near-duplicate sketch, as the pipeline does."""
    from cyberveille.duplicates import link_article

    # the grouper's own keys (context included) and its way of opening an incident
    from cyberveille.incidents import mention_keys, opened_incident

    added = 0
    for first in range(start, start + incidents, batch):
        last = min(first + batch, start + incidents)
        extractions = [gen.extraction(gen.incident(i)) for i in range(first, last)]
        added += store.save_extractions(extractions)
        for ex in extractions:
            if sketch:
                link_article(store, ex.article.id, ex.article.text)
            mention = ex.incident_mentions[0]
            keys = mention_keys(mention, gen.kb.get)
            store.save_incident(opened_incident(mention, keys, "synthetic"))
    return added


def _starts(sentences: Sequence[str]) -> list[int]:
    """Offsets of sentences joined by one space."""
    starts, offset = [], 0
    for sentence in sentences:
        starts.append(offset)
        offset += len(sentence) + 1
    return starts
