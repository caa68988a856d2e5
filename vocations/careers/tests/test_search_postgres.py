"""SQLite's search index and PostgreSQL's see the same lexemes (collected on PostgreSQL only)."""

from __future__ import annotations

import pytest
from django.db import connection

from vocations.careers.models import TradeSearchDocument
from vocations.careers.search import stem, tokens, words

from .test_search import STEMS


@pytest.mark.django_db
def test_sqlite_stems_are_postgresql_lexemes(careers):
    # Every word of a few real documents, plus the pinned stems: snowballstemmer (SQLite's
    # index) must give exactly what the server's french configuration gives, else the two
    # backends would rank differently.
    documents = TradeSearchDocument.objects.filter(
        trade__rome_code__in=["H2913", "H2902", "I1309", "H2102", "N1103"]
    )
    sample = set(STEMS)
    for document in documents:
        sample |= set(words(document.title_text + " " + document.description_text))
        sample |= set(words(document.keywords_text + " " + document.appellations_text))
    assert len(sample) > 100
    with connection.cursor() as cursor:
        for word in sorted(sample):
            cursor.execute("SELECT strip(to_tsvector('french', %s))::text", [word])
            (vector,) = cursor.fetchone()
            lexemes = [part.strip("'") for part in vector.split()] if vector else []
            assert lexemes == [stem(word)], word


@pytest.mark.django_db
def test_token_order_and_occurrences_are_postgresql_positions(careers):
    # ts_rank weighs every position of a lexeme in order; SQLite's scores do the same.
    text = "Soudeur soudeuse : soudage, soudeurs et soudure des métaux"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, positions FROM unnest(to_tsvector('french', unaccent(%s)))", [text]
        )
        rows = cursor.fetchall()
    expected = sorted((pos, lexeme) for lexeme, positions in rows for pos in positions)
    assert [lexeme for _, lexeme in expected] == tokens(text)
