import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vocations.careers import selectors
from vocations.careers.models import Appellation, QualificationLevel, Sector, Trade


def test_sector_list(careers, django_assert_num_queries):
    # 1 sectors with their trade count, 1 prefetch of NAF divisions.
    with django_assert_num_queries(2):
        sectors = list(selectors.sector_list())
        divisions = {s.slug: [d.code for d in s.naf_divisions.all()] for s in sectors}
    assert divisions["textile-habillement"] == ["13", "14", "15"]
    paper = next(s for s in sectors if s.slug == "papier-carton")
    assert paper.trade_count == Trade.objects.filter(naf_divisions__code="17").count() > 0


def test_branch_list(careers, django_assert_num_queries):
    # 1 branches, 1 prefetch of their sectors.
    with django_assert_num_queries(2):
        branches = list(selectors.branch_list())
        sectors = {b.slug: [s.slug for s in b.sectors.all()] for b in branches}
    assert sectors["industrie-pharmaceutique"] == ["sante-pharmacie"]
    assert len(branches) >= 20


def test_trade_list_filters(careers):
    metal = selectors.trade_list(sector="metallurgie")
    assert metal.filter(rome_code="H2913").exists()
    assert not metal.filter(rome_code="H2303").exists()
    sector = Sector.objects.get(slug="metallurgie")
    assert list(selectors.trade_list(sector=sector)) == list(metal)
    uimm = selectors.trade_list(branch="metallurgie", level=7)
    codes = set(uimm.values_list("rome_code", flat=True))
    assert "H1238" in codes and "H2913" not in codes
    level = QualificationLevel.objects.get(level=3)
    assert selectors.trade_list(level=level).filter(rome_code="N1101").exists()
    everything = list(selectors.trade_list())
    assert len(everything) == len({t.pk for t in everything}) == 404


def test_trade_list_query_count(careers, django_assert_num_queries):
    # 1 trades, 1 prefetch of sectors, 1 prefetch of levels.
    with django_assert_num_queries(3):
        trades = list(selectors.trade_list(sector="chimie"))
        for trade in trades:
            [s.name for s in trade.sectors.all()]
            [lv.level for lv in trade.qualification_levels.all()]
    assert trades


def test_trade_detail(careers):
    trade = Trade.objects.get(rome_code="H2913")
    Appellation.objects.create(code_ogr="1", title="Soudeur / Soudeuse TIG", trade=trade)
    with CaptureQueriesContext(connection) as queries:
        found = selectors.trade_detail("soudeur-soudeuse")
        assert [a.title for a in found.appellations.all()] == ["Soudeur / Soudeuse TIG"]
        assert "metallurgie" in [s.slug for s in found.sectors.all()]
        [b.name for b in found.branches.all()]
        [d.code for d in found.naf_divisions.all()]
        [lv.level for lv in found.qualification_levels.all()]
    # 1 trade + 5 prefetches.
    assert len(queries) == 6
    assert selectors.trade_detail("nexiste-pas") is None


@pytest.mark.parametrize("limit", [5, 200])
def test_featured_trades(careers, limit):
    trades = list(selectors.featured_trades(limit))
    featured = Trade.objects.filter(is_featured=True).count()
    assert len(trades) == min(limit, featured)
    assert all(t.is_featured and t.description for t in trades)
    assert [t.title for t in trades] == sorted(t.title for t in trades)
