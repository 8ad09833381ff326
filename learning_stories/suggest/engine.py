"""Areas of learning, early learning goals and framework statements suggested from an observation's text.

Everything runs in the process, from the framework data KeyStory already holds: a TF-IDF model over the
framework's own words (area and goal explanations, statement texts) and a curated list of everyday words per
goal (``keywords.py``). Each goal scores the text's cosine similarity to its words plus the keywords found,
each weighted by how specific it is (a word listed under three goals counts a third). An area scores its best
goal. Statements score their own similarity, lifted by their goal's score, and only those of the children's
age bands are offered.

The model is built once per process for each (framework, nursery) and rebuilt when framework data changes
(the ``framework`` cache version moves on); answering then takes well under a millisecond per text.
"""

import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from core.caching import version

from .keywords import KEYWORDS

# How much a goal's keywords count against its TF-IDF similarity (a cosine between 0 and 1).
KEYWORD_WEIGHT = 0.5
PHRASE_WEIGHT = 1.5  # a phrase found is surer than one word
STATEMENT_GOAL_WEIGHT = 0.3  # how much a statement borrows from its goal's score
MIN_SCORE = 0.05  # below this nothing is suggested
RELATIVE_CUTOFF = 0.25  # nor anything scoring less than this share of the best


def stem(word: str) -> str:
    """A small suffix-stripper: "climbing", "climbed", "climbs" -> "climb"; "stories" -> "story"."""
    if len(word) <= 3:
        return word
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ingly", ""), ("edly", ""), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            if not replacement and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # running -> run
            break
    else:
        if word.endswith("ly") and len(word) > 5:
            word = word[:-2]
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # make / making -> mak
    return word


_STOPWORDS = """a an and the or but to of in at with for from is was were be been being it its he she they his her
hers their them him this that these those then than i we you me my our your us as so if also has have had do did
does are am will would could can just very too really all while when there here which who what"""
STOPWORDS = frozenset(stem(word) for word in _STOPWORDS.split())


def tokens(text: str) -> list[str]:
    """Every word of the text, stemmed, stop words kept (phrases need them)."""
    return [stem(word) for word in re.findall(r"[a-z]+", text.lower().replace("'", "").replace("\u2019", ""))]


def terms(text: str) -> list[str]:
    return [token for token in tokens(text) if token not in STOPWORDS]


@dataclass(frozen=True)
class AreaInfo:
    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class AspectInfo:
    pk: int
    name: str
    area_pk: int


@dataclass(frozen=True)
class StatementInfo:
    pk: int
    text: str
    area_pk: int
    aspect_pk: int | None
    band_pk: int


@dataclass(frozen=True)
class BandInfo:
    pk: int
    name: str
    min_months: int
    max_months: int | None

    def fits(self, months: int) -> bool:
        return self.min_months <= months and (self.max_months is None or months < self.max_months)


@dataclass
class Scored:
    item: object
    score: float


@dataclass
class Suggestions:
    areas: list[Scored] = field(default_factory=list)
    aspects: list[Scored] = field(default_factory=list)
    statements: list[Scored] = field(default_factory=list)


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {term: value / norm for term, value in vector.items()} if norm else {}


def _cosine(query: dict[str, float], doc: dict[str, float]) -> float:
    if len(query) > len(doc):
        query, doc = doc, query
    return sum(value * doc.get(term, 0.0) for term, value in query.items())


class Suggester:
    """The model for one framework (and one nursery's own statements). Build with ``from_data``."""

    def __init__(
        self,
        *,
        areas: list[AreaInfo],
        aspects: list[AspectInfo],
        aspect_texts: dict[int, str],
        area_texts: dict[int, str],
        statements: list[StatementInfo],
        bands: list[BandInfo],
    ) -> None:
        self.areas = {area.pk: area for area in areas}
        self.aspects = {aspect.pk: aspect for aspect in aspects}
        self.statements = statements
        self.bands = bands
        area_codes = {area.pk: area.code for area in areas}

        # Keywords per goal, stemmed; a word listed under several goals is worth less to each.
        self.words: dict[int, set[str]] = {}
        self.phrases: dict[int, set[tuple[str, ...]]] = {}
        for aspect in aspects:
            listed = KEYWORDS.get((area_codes[aspect.area_pk], aspect.name), [])
            stemmed = [tuple(tokens(keyword)) for keyword in listed]
            self.words[aspect.pk] = {words[0] for words in stemmed if len(words) == 1}
            self.phrases[aspect.pk] = {words for words in stemmed if len(words) > 1}
        spread = Counter(word for words in self.words.values() for word in words)
        self.word_weight = {word: 1.0 / count for word, count in spread.items()}
        self.longest_phrase = max((len(p) for phrases in self.phrases.values() for p in phrases), default=1)

        # TF-IDF: every statement, goal and area text is a document for the word weights.
        docs = {("statement", s.pk): terms(s.text) for s in statements}
        docs |= {("aspect", pk): terms(text) for pk, text in aspect_texts.items()}
        docs |= {("area", pk): terms(text) for pk, text in area_texts.items()}
        frequency = Counter(term for words in docs.values() for term in set(words))
        total = len(docs)
        self.idf = {term: math.log((total + 1) / (count + 1)) + 1 for term, count in frequency.items()}
        self.default_idf = math.log(total + 1) + 1  # a word the framework never uses

        self.statement_vectors = {s.pk: self._vector(docs["statement", s.pk]) for s in statements}
        by_aspect = defaultdict(list)
        for statement in statements:
            if statement.aspect_pk is not None:
                by_aspect[statement.aspect_pk] += docs["statement", statement.pk]
        self.aspect_vectors = {
            aspect.pk: self._vector(
                docs.get(("aspect", aspect.pk), [])
                + by_aspect[aspect.pk]
                + sorted(self.words[aspect.pk])
                + [word for phrase in sorted(self.phrases[aspect.pk]) for word in phrase if word not in STOPWORDS]
            )
            for aspect in aspects
        }

    def _vector(self, words: list[str]) -> dict[str, float]:
        counts = Counter(words)
        return _normalised(
            {term: (1 + math.log(count)) * self.idf.get(term, self.default_idf) for term, count in counts.items()}
        )

    def bands_for(self, months_list: list[int]) -> set[int]:
        return {band.pk for band in self.bands for months in months_list if band.fits(months)}

    def aspect_scores(self, text: str) -> dict[int, float]:
        all_tokens = tokens(text)
        query_terms = [token for token in all_tokens if token not in STOPWORDS]
        query = self._vector(query_terms)
        present = set(query_terms)
        grams = {
            tuple(all_tokens[i : i + n])
            for n in range(2, self.longest_phrase + 1)
            for i in range(len(all_tokens) - n + 1)
        }
        scores = {}
        for pk, vector in self.aspect_vectors.items():
            hits = sum(self.word_weight[word] for word in self.words[pk] & present)
            hits += PHRASE_WEIGHT * len(self.phrases[pk] & grams)
            scores[pk] = _cosine(query, vector) + KEYWORD_WEIGHT * math.log1p(hits)
        return scores

    def suggest(
        self, text: str, *, months: list[int] | None = None, areas: int = 3, aspects: int = 4, statements: int = 5
    ) -> Suggestions:
        """The best areas, goals and (for children of these ages in months) statements for the text."""
        if not text.strip():
            return Suggestions()
        aspect_scores = self.aspect_scores(text)
        area_scores: dict[int, float] = defaultdict(float)
        for pk, score in aspect_scores.items():
            area_pk = self.aspects[pk].area_pk
            area_scores[area_pk] = max(area_scores[area_pk], score)
        found = Suggestions(
            areas=_best(((self.areas[pk], score) for pk, score in area_scores.items()), areas),
            aspects=_best(((self.aspects[pk], score) for pk, score in aspect_scores.items()), aspects),
        )
        if months:
            bands = self.bands_for(months)
            chosen_areas = {scored.item.pk for scored in found.areas}
            query = self._vector(terms(text))
            top = max(aspect_scores.values(), default=0) or 1
            found.statements = _best(
                (
                    (
                        statement,
                        _cosine(query, self.statement_vectors[statement.pk])
                        + STATEMENT_GOAL_WEIGHT * aspect_scores.get(statement.aspect_pk, 0) / top,
                    )
                    for statement in self.statements
                    if statement.band_pk in bands
                    and statement.area_pk in chosen_areas
                    and _cosine(query, self.statement_vectors[statement.pk]) > 0
                ),
                statements,
            )
        return found


def _best(scored, limit: int) -> list[Scored]:
    ranked = sorted((Scored(item, score) for item, score in scored if score >= MIN_SCORE), key=lambda s: -s.score)
    return [found for found in ranked[:limit] if found.score >= RELATIVE_CUTOFF * ranked[0].score]


def from_data(framework, nursery_id: int | None) -> Suggester:
    """Read the framework (and the nursery's own statements) once: four queries."""
    from django.db.models import Q

    from ..models import Aspect, Statement

    areas = list(framework.areas.all())
    aspects = list(Aspect.objects.filter(area__framework=framework))
    statements = Statement.objects.filter(area__framework=framework, retired_at__isnull=True).filter(
        Q(nursery__isnull=True) | Q(nursery_id=nursery_id)
    )
    return Suggester(
        areas=[AreaInfo(area.pk, area.code, area.name) for area in areas],
        aspects=[AspectInfo(aspect.pk, aspect.name, aspect.area_id) for aspect in aspects],
        aspect_texts={aspect.pk: f"{aspect.name}. {aspect.explanation}" for aspect in aspects},
        area_texts={area.pk: f"{area.name}. {area.explanation}" for area in areas},
        statements=[
            StatementInfo(s.pk, s.text, s.area_id, s.aspect_id, s.band_id)
            for s in statements.only("pk", "text", "area_id", "aspect_id", "band_id")
        ],
        bands=[BandInfo(band.pk, band.name, band.min_months, band.max_months) for band in framework.bands.all()],
    )


_models: dict[tuple[int, int | None], tuple[int, Suggester]] = {}
_lock = threading.Lock()


def suggester_for(framework, nursery_id: int | None) -> Suggester:
    """The process's model for this framework and nursery, built on first use and again after any change to
    framework data (one cache round trip to check)."""
    from ..framework.selectors import FRAMEWORK_DATA

    key = (framework.pk, nursery_id)
    current = version(FRAMEWORK_DATA)
    found = _models.get(key)
    if found is not None and found[0] == current:
        return found[1]
    model = from_data(framework, nursery_id)
    with _lock:
        if len(_models) > 200:  # many nurseries in one process: start again rather than grow
            _models.clear()
        _models[key] = (current, model)
    return model
