"""French full-text search over trades: one function for the explorer and the benchmark.

PostgreSQL: a stored ``tsvector`` per trade (TradeSearchDocument.vector, GIN index), built with
the ``french`` configuration on ``unaccent``-ed text, weights A (title), B (keywords and ROME
appellations), C (description); ranked with ``ts_rank`` (SearchRank).

SQLite: the same document is split into stemmed tokens (TradeSearchToken) whose score is
precomputed with ts_rank's own formula for an OR query (``calc_rank_or``). The tokens come from
the Snowball French stemmer (``snowballstemmer``), the algorithm PostgreSQL's ``french_stem``
dictionary runs, so both backends see the same lexemes, count every occurrence alike and rank
alike; the relevance tests run on both and pin the first result of real queries.

Both backends then apply the same rules: whole words, all of them (AND); when nothing
matches, the last word also as a prefix (typing in progress); then any word (OR). Results are
ordered in Python by score (rounded), featured trades first, shorter titles first, title.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer
from django.db import connection
from django.db.models import F, Q

from .models import Trade, TradeSearchToken

# The shipped file; the loader passes the file of the folder it loads from.
KEYWORDS_PATH = Path(__file__).resolve().parent / "data" / "trade_keywords.json"

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MIN_PREFIX_LENGTH = 3
MAX_TOKEN_LENGTH = 60
# ts_rank's default weights for A, B, C (D is unused).
WEIGHT_TITLE = 1.0
WEIGHT_KEYWORD = 0.4
WEIGHT_APPELLATION = 0.4
WEIGHT_DESCRIPTION = 0.2
SCORE_DIGITS = 4  # scores are compared rounded, so float4 (PostgreSQL) and float agree

# PostgreSQL's French stop words (tsearch_data/french.stop, the Snowball list), as they act on
# unaccented text: its accented entries (été, même…) never match there, so only the ASCII ones
# are kept, plus "a" (the unaccented "à"). SQLite's index and both backends' queries drop the
# same words as PostgreSQL's french configuration does.
STOPWORDS = frozenset(
    """
    a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
    aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes
    ayants ayez ayons c ce ces d dans de des du elle en es est et eu eue eues eurent eus eusse
    eussent eusses eussiez eussions eut eux furent fus fusse fussent fusses fussiez fussions fut
    il j je l la le leur lui m ma mais me mes moi mon n ne nos notre nous on ont ou par pas pour
    qu que qui s sa se sera serai seraient serais serait seras serez seriez serions serons
    seront ses soient sois soit sommes son sont soyez soyons suis sur t ta te tes toi ton tu un
    une vos votre vous y
    """.split()
)
_WORD_RE = re.compile(r"[a-z0-9]+")
# A Snowball stemmer keeps the word it works on as state: one per thread.
_stemmers = threading.local()


def normalize(text: str) -> str:
    """Lower case, no accents, ligatures spelled out."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Normalized words without stop words."""
    return [w for w in _WORD_RE.findall(normalize(text)) if w not in STOPWORDS]


def stem(word: str) -> str:
    """The Snowball French stem of a normalized word, as PostgreSQL's ``french_stem`` gives it.

    A word with a digit is kept whole, as PostgreSQL's ``french`` configuration sends such
    words (``numword``) to the ``simple`` dictionary, which does not stem.
    """
    if any(ch.isdigit() for ch in word):
        return word
    stemmer = getattr(_stemmers, "french", None)
    if stemmer is None:
        stemmer = _stemmers.french = snowballstemmer.stemmer("french")
    return stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """Stemmed tokens of a text, in order, every occurrence (PostgreSQL keeps each position)."""
    return [stem(word)[:MAX_TOKEN_LENGTH] for word in words(text)]


def document_text(text: str) -> str:
    """Text as indexed: hyphenated words split, so PostgreSQL makes no compound lexeme."""
    return text.replace("-", " ").replace("‑", " ")


def query_words(query: str | None) -> list[str]:
    """The words of a search string: capped in length and number, duplicates dropped."""
    if not query or not isinstance(query, str):
        return []
    unique: dict[str, None] = {}
    for word in words(query[:MAX_QUERY_LENGTH]):
        unique.setdefault(word[:MAX_TOKEN_LENGTH], None)
    return list(unique)[:MAX_TERMS]


def rank_share(weights: list[float]) -> float:
    """ts_rank's score of one lexeme (PostgreSQL calc_rank_or), occurrences in document order."""
    total, best, best_index = 0.0, -1.0, 0
    for index, weight in enumerate(weights):
        total += weight / ((index + 1) * (index + 1))
        if weight > best:
            best, best_index = weight, index
    return (best + total - best / ((best_index + 1) * (best_index + 1))) / 1.64493406685


# --------------------------------------------------------------------------------------
# Index (write side)
# --------------------------------------------------------------------------------------


# --------------------------------------------------------------------------------------
# Search (read side)
# --------------------------------------------------------------------------------------


@dataclass
class SearchHit:
    trade_id: int
    score: float


def _prefix_bounds(prefix: str) -> Q:
    # A range instead of LIKE, so the (token, trade) index serves it on both backends.
    return Q(token__gte=prefix, token__lt=prefix + "\uffff")


def _sqlite_search(terms: list[str], trades_filter: Q | None) -> dict[int, tuple]:
    """One query fetches every candidate token; the stages are then played in Python."""
    stems = [stem(term) for term in terms]
    last = stems[-1] if len(terms[-1]) >= MIN_PREFIX_LENGTH else None
    condition = Q(token__in=stems)
    if last is not None:
        condition |= _prefix_bounds(last)
    rows = TradeSearchToken.objects.filter(condition)
    if trades_filter is not None:
        rows = rows.filter(trade__in=Trade.objects.filter(trades_filter).values("pk"))
    exact: dict[int, list[float]] = {}
    prefixed: dict[int, list[float]] = {}
    meta: dict[int, tuple[bool, str]] = {}
    for trade_id, token, score, featured, title in rows.values_list(
        "trade_id", "token", "score", "trade__is_featured", "trade__title"
    ):
        meta[trade_id] = (featured, title)
        for index, wanted in enumerate(stems):
            if token == wanted:
                exact.setdefault(trade_id, [0.0] * len(stems))[index] += score
            if token == wanted or (index == len(stems) - 1 and last and token.startswith(last)):
                prefixed.setdefault(trade_id, [0.0] * len(stems))[index] += score
    for stage in _stages(terms):
        per_trade = prefixed if stage["prefix"] else exact
        if not stage["any_word"]:
            per_trade = {pk: s for pk, s in per_trade.items() if all(s)}
        if per_trade:
            return {pk: (sum(s) / len(s), *meta[pk]) for pk, s in per_trade.items()}
    return {}


def _postgres_search(terms: list[str], trades_filter: Q | None) -> dict[int, tuple]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    for stage in _stages(terms):
        # Terms are [a-z0-9]+ only (query_words), so they are safe inside to_tsquery's syntax.
        parts = list(terms)
        if stage["prefix"]:
            parts[-1] += ":*"
        operator = " | " if stage["any_word"] else " & "
        match = SearchQuery(operator.join(parts), search_type="raw", config="french")
        rank = SearchQuery(" | ".join(parts), search_type="raw", config="french")
        trades = Trade.objects.filter(search_document__vector=match)
        if trades_filter is not None:
            trades = trades.filter(trades_filter)
        rows = trades.annotate(rank=SearchRank(F("search_document__vector"), rank)).values_list(
            "pk", "rank", "is_featured", "title"
        )
        found = {pk: (float(score), featured, title) for pk, score, featured, title in rows}
        if found:
            return found
    return {}


def _stages(terms: list[str]) -> list[dict]:
    """Whole words first; then the last word as a prefix (still typing); then any word."""
    can_prefix = len(terms[-1]) >= MIN_PREFIX_LENGTH
    stages = [{"prefix": False, "any_word": False}]
    if can_prefix:
        stages.append({"prefix": True, "any_word": False})
    if len(terms) > 1:
        stages.append({"prefix": can_prefix, "any_word": True})
    return stages


def search_trades(query: str | None, *, trades_filter: Q | None = None) -> list[SearchHit]:
    """Trades matching a free-text French query, best first; [] for an empty query.

    ``trades_filter`` is a Q on Trade (sector, branch, level…) applied in the same query.
    Any string is accepted: it is cut at 200 characters and reduced to words of letters and
    digits, so SQL-like text, emoji or punctuation only give normal or empty results.
    """
    terms = query_words(query)
    if not terms:
        return []
    search = _postgres_search if connection.vendor == "postgresql" else _sqlite_search
    scored = search(terms, trades_filter)  # pk -> (score, is_featured, title)
    order = sorted(
        scored,
        key=lambda pk: (
            -round(scored[pk][0], SCORE_DIGITS),
            not scored[pk][1],
            len(scored[pk][2]),
            scored[pk][2],
            pk,
        ),
    )
    return [SearchHit(pk, scored[pk][0]) for pk in order]
