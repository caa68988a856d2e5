"""The coverage computation: properties (Hypothesis) and the WorldSkills example."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from vocations.ambassadors.coverage import (
    AUDIENCES,
    CHANNELS,
    GAP,
    MEMBER_CHANNELS,
    REACHED,
    MemberNetworkIn,
    PlacementIn,
    Territory,
    compute_coverage,
    placement_audiences,
)
from vocations.ambassadors.networks import DEFAULT_AUDIENCES

NETWORKS = sorted(DEFAULT_AUDIENCES)
TERRITORIES = [
    Territory(),
    Territory(region="84", label="Auvergne-Rhône-Alpes"),
    Territory(region="84", department="69", label="Rhône (69)"),
    Territory(region="84", department="42", label="Loire (42)"),
    Territory(region="53", department="29", label="Finistère (29)"),
]
audience_sets = st.frozensets(st.sampled_from(AUDIENCES), max_size=4)
placements = st.lists(
    st.builds(
        PlacementIn,
        id=st.integers(1, 10_000),
        name=st.sampled_from(["Spot", "Affiches", "Stories", "Tribune", "Bannières"]),
        channel=st.sampled_from(CHANNELS),
        audiences=audience_sets,
        territory=st.sampled_from(TERRITORIES),
        reach=st.integers(0, 10**7),
    ),
    max_size=8,
)
members = st.lists(
    st.builds(
        MemberNetworkIn,
        ambassador_id=st.integers(1, 40),
        name=st.sampled_from(["Alice", "Bruno", "Chloé", "Driss", "Émilie"]),
        network=st.sampled_from(NETWORKS),
        audiences=audience_sets,
        audience_size=st.integers(0, 100_000),
        territory=st.sampled_from(TERRITORIES),
        themes=st.frozensets(st.integers(1, 5), max_size=3),
    ),
    max_size=15,
)
inputs = st.fixed_dictionaries(
    {
        "placements": placements,
        "event_audiences": audience_sets,
        "members": members,
        "target_audiences": audience_sets,
        "territories": st.lists(st.sampled_from(TERRITORIES), max_size=2),
        "themes": st.frozensets(st.integers(1, 5), max_size=3),
    }
)


@given(inputs)
def test_a_gap_is_reached_by_no_placement_and_no_event_audience(kwargs):
    matrix = compute_coverage(**kwargs)
    for cell in matrix.gaps:
        assert not any(
            p.channel == cell.channel and cell.audience in placement_audiences(p)
            for p in kwargs["placements"]
        )
        assert not (cell.channel == "events" and cell.audience in kwargs["event_audiences"])
        assert cell.explanation.startswith(f"{matrix_label(cell.audience)} × ")
        assert "trou" in cell.explanation
    for cell in matrix.cells.values():
        if cell.state == REACHED:
            assert cell.placements or cell.by_event
        assert cell.explanation  # every cell is explained


def matrix_label(audience: str) -> str:
    from vocations.core.audiences import Audience

    return dict(Audience.choices)[audience]


@given(inputs)
def test_every_suggested_member_has_a_network_reaching_that_audience(kwargs):
    matrix = compute_coverage(**kwargs)
    for cell in matrix.cells.values():
        if cell.state != GAP:
            assert cell.suggestions == []
        for s in cell.suggestions:
            assert any(
                m.ambassador_id == s.ambassador_id
                and m.network == s.network
                and m.network in MEMBER_CHANNELS[cell.channel]
                and cell.audience in m.audiences
                for m in kwargs["members"]
            )
        ids = [s.ambassador_id for s in cell.suggestions]
        assert len(ids) == len(set(ids))  # one line per member


@given(inputs, st.randoms(use_true_random=False))
def test_ranking_is_deterministic_and_ignores_input_order(kwargs, rnd):
    first = compute_coverage(**kwargs)
    shuffled = dict(kwargs)
    shuffled["members"] = list(kwargs["members"])
    shuffled["placements"] = list(kwargs["placements"])
    rnd.shuffle(shuffled["members"])
    rnd.shuffle(shuffled["placements"])
    second = compute_coverage(**shuffled)
    for key, cell in first.cells.items():
        assert cell.suggestions == second.cells[key].suggestions
        assert cell.explanation == second.cells[key].explanation
        scores = [s.score for s in cell.suggestions]
        assert scores == sorted(scores, reverse=True)


def test_worldskills_parents_gap_is_filled_on_linkedin():
    """Young people reached on social networks, parents missed: a LinkedIn member of the
    event's département ranks above a bigger account far away only when the factor says so."""
    lyon = TERRITORIES[2]
    matrix = compute_coverage(
        placements=[
            PlacementIn(1, "Stories TikTok", "social", frozenset({"young_people"}), lyon, 80_000)
        ],
        event_audiences=frozenset({"young_people"}),
        members=[
            MemberNetworkIn(1, "Alice", "linkedin", frozenset({"parents"}), 3_000, lyon),
            MemberNetworkIn(2, "Bruno", "linkedin", frozenset({"parents"}), 8_000, TERRITORIES[4]),
            MemberNetworkIn(3, "Chloé", "tiktok", frozenset({"young_people"}), 50_000, lyon),
        ],
        target_audiences=frozenset({"young_people", "parents"}),
        territories=[lyon],
    )
    assert matrix.cells[("young_people", "social")].state == REACHED
    assert "Stories TikTok" in matrix.cells[("young_people", "social")].explanation
    gap = matrix.cells[("parents", "social")]
    assert gap.state == GAP
    # Alice: 3 000 × 3 (same département) × 2 = 18 000; Bruno: 8 000 × 1 × 2 = 16 000.
    assert [(s.name, s.score) for s in gap.suggestions] == [("Alice", 18_000), ("Bruno", 16_000)]
    assert "même département" in gap.suggestions[0].explanation
    assert matrix.audiences[:2] == ["young_people", "parents"]  # targets first
    assert matrix.cells[("parents", "tv")].state == "not_reached"  # no member fills TV
