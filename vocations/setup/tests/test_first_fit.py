"""FirstFit picks exactly what a scan of the list in order would pick (the demo's content
must not change), only faster."""

from hypothesis import given
from hypothesis import strategies as st

from vocations.setup.first_fit import FirstFit

windows = st.lists(
    st.tuples(st.integers(0, 50), st.integers(0, 50)).map(lambda w: (w[0], w[0] + w[1])),
    max_size=60,
)


@given(windows, st.lists(st.integers(-5, 110), max_size=80))
def test_first_fit_takes_what_a_scan_in_order_takes(items, times):
    tree = FirstFit(items)
    pool = list(enumerate(items))
    for t in times:
        expected = next((k for k, (_, (o, c)) in enumerate(pool) if o <= t < c), None)
        got = tree.take(t)
        if expected is None:
            assert got is None
        else:
            assert got == pool.pop(expected)[0]


def test_an_empty_list_and_a_taken_item_give_nothing():
    assert FirstFit([]).take(1.0) is None
    tree = FirstFit([(0.0, 10.0)])
    assert tree.take(5.0) == 0
    assert tree.take(5.0) is None
