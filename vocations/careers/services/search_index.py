"""Writing the trade search index (the read side is vocations/careers/search.py): the search
documents of every trade, the PostgreSQL ``tsvector`` or the SQLite tokens with their
precomputed scores, from the trades, their ROME appellations and the shipped keywords file."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import F, Func

from vocations.core.exceptions import ReferenceDataError

from ..models import Appellation, Trade, TradeSearchDocument, TradeSearchToken
from ..search import (
    KEYWORDS_PATH,
    WEIGHT_APPELLATION,
    WEIGHT_DESCRIPTION,
    WEIGHT_KEYWORD,
    WEIGHT_TITLE,
    document_text,
    rank_share,
    tokens,
)


def load_keywords(path: Path | None = None) -> dict[str, dict[str, list[str]]]:
    """ROME code -> {"aliases": [...], "keywords": [...]}, from data/trade_keywords.json."""
    path = KEYWORDS_PATH if path is None else path
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReferenceDataError(f"Fichier {path.name} introuvable.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(f"Fichier {path.name} illisible : {exc}.") from None
    entries = data.get("trades") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ReferenceDataError(f"Fichier {path.name} : la liste « trades » est absente.")
    result: dict[str, dict[str, list[str]]] = {}
    for index, entry in enumerate(entries, start=1):
        code = entry.get("code") if isinstance(entry, dict) else None
        where = f"Fichier {path.name}, entrée n° {index} ({code})"
        if not isinstance(code, str) or not re.match(r"^[A-N]\d{4}$", code):
            raise ReferenceDataError(f"{where} : code ROME invalide.")
        item = result.setdefault(code, {"aliases": [], "keywords": []})
        for key in ("aliases", "keywords"):
            values = entry.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
                raise ReferenceDataError(f"{where} : la liste « {key} » est invalide.")
            item[key].extend(v.strip() for v in values)
    return result


@dataclass
class _Document:
    trade_id: int
    title: str
    aliases: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    appellations: list[str] = field(default_factory=list)
    description: str = ""

    def token_scores(self) -> dict[str, float]:
        # Same order as the PostgreSQL vector: title, keywords, appellations, description.
        entries = [(self.title, WEIGHT_TITLE)]
        entries += [(text, WEIGHT_TITLE) for text in self.aliases]
        entries += [(text, WEIGHT_KEYWORD) for text in self.keywords]
        entries += [(text, WEIGHT_APPELLATION) for text in self.appellations]
        entries.append((self.description, WEIGHT_DESCRIPTION))
        occurrences: dict[str, list[float]] = defaultdict(list)
        for text, weight in entries:
            for token in tokens(text):
                occurrences[token].append(weight)
        return {token: rank_share(weights) for token, weights in occurrences.items()}


def _unaccent(name: str) -> Func:
    return Func(F(name), function="unaccent")


def _update_vectors(trade_ids: list[int] | None) -> None:
    from django.contrib.postgres.search import SearchVector

    documents = TradeSearchDocument.objects.all()
    if trade_ids is not None:
        documents = documents.filter(trade_id__in=trade_ids)
    documents.update(
        vector=SearchVector(_unaccent("title_text"), config="french", weight="A")
        + SearchVector(_unaccent("keywords_text"), config="french", weight="B")
        + SearchVector(_unaccent("appellations_text"), config="french", weight="B")
        + SearchVector(_unaccent("description_text"), config="french", weight="C")
    )


@transaction.atomic
def rebuild_search_index(
    *, trade_ids: Iterable[int] | None = None, keywords_path: Path | None = None
) -> int:
    """Rebuild the search documents (and tokens) of every trade, or of ``trade_ids``.

    Called by load_careers() and import_rome_referential() with their data folder's keywords
    file; run ``manage.py rebuild_trade_search`` after editing appellations by hand. Returns
    the documents written.
    """
    keywords = load_keywords(keywords_path)
    trades = Trade.objects.all()
    appellations = Appellation.objects.all()
    ids = None if trade_ids is None else sorted(set(trade_ids))
    if ids is not None:
        trades = trades.filter(pk__in=ids)
        appellations = appellations.filter(trade_id__in=ids)
    documents = {
        pk: _Document(
            pk,
            title,
            keywords.get(code, {}).get("aliases", []),
            keywords.get(code, {}).get("keywords", []),
            [],
            description,
        )
        for pk, code, title, description in trades.values_list(
            "pk", "rome_code", "title", "description"
        )
    }
    for trade_id, title in appellations.order_by("trade_id", "title").values_list(
        "trade_id", "title"
    ):
        if trade_id in documents:
            documents[trade_id].appellations.append(title)

    stale_docs = TradeSearchDocument.objects.all()
    stale_tokens = TradeSearchToken.objects.all()
    if ids is not None:
        stale_docs = stale_docs.filter(trade_id__in=ids)
        stale_tokens = stale_tokens.filter(trade_id__in=ids)
    stale_tokens.delete()
    stale_docs.delete()
    TradeSearchDocument.objects.bulk_create(
        [
            TradeSearchDocument(
                trade_id=doc.trade_id,
                title_text=document_text(" ; ".join([doc.title, *doc.aliases])),
                keywords_text=document_text(" ; ".join(doc.keywords)),
                appellations_text=document_text(" ; ".join(doc.appellations)),
                description_text=document_text(doc.description),
            )
            for doc in documents.values()
        ],
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        _update_vectors(ids)
    else:
        TradeSearchToken.objects.bulk_create(
            (
                TradeSearchToken(token=token, trade_id=doc.trade_id, score=score)
                for doc in documents.values()
                for token, score in doc.token_scores().items()
            ),
            batch_size=2000,
        )
    return len(documents)
