"""Corrupt files for the importers' property tests (issue 15, point 10): "a corrupt file never
half-imports".

``corrupted(valid)`` draws files a user or an attacker could send instead of a good one: the
good file truncated anywhere, with a byte changed, a cell replaced by odd text (formulas,
quotes, separators, huge numbers, control characters, other scripts), a line duplicated or
dropped, its separators swapped, or bytes with no structure at all. ``all_or_nothing`` runs
an importer on it and checks the contract every importer states: it raises only
``ImportFileError`` (a French message, never a crash); when it refuses the file or reports a
line error, the database is exactly as before; when it imports, importing the same bytes
again changes nothing. Each example runs in a transaction rolled back at the end, so examples
do not see each other's writes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from vocations.core.exceptions import ImportFileError

# Few examples each: the importers run on both databases in CI; derandomized so a failure
# is the same on every run (Hypothesis prints the file that broke it).
IMPORT_FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_CELLS = st.sampled_from(
    [
        "",
        " ",
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)",
        '"',
        '""";;',
        ";",
        ",",
        "\t",
        "\r",
        "\x00",
        "-1",
        "1e308",
        "99999999999999999999999",
        "NaN",
        "31/02/2026",
        "2026-13-45",
        "٣",
        "𝟘",
        "ﬁ",
        "Île de Clipperton",
        "x" * 300,
    ]
) | st.text(max_size=40)


class _Rollback(Exception):
    pass


@st.composite
def corrupted(draw, valid: bytes) -> bytes:
    lines = valid.split(b"\n")
    kind = draw(
        st.sampled_from(
            ["truncate", "byte", "cell", "duplicate", "drop", "separator", "noise", "extra"]
        )
    )
    if kind == "truncate":
        return valid[: draw(st.integers(0, max(len(valid) - 1, 0)))]
    if kind == "byte":
        at = draw(st.integers(0, len(valid) - 1))
        return valid[:at] + bytes([draw(st.integers(0, 255))]) + valid[at + 1 :]
    if kind == "noise":
        return draw(st.binary(max_size=400))
    body = [i for i, line in enumerate(lines) if line.strip()]
    index = draw(st.sampled_from(body))
    if kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "drop":
        del lines[index]
    elif kind == "separator":
        lines[index] = lines[index].replace(b";", b",")
    elif kind == "extra":
        lines.insert(index + 1, draw(st.text(max_size=80)).encode("utf-8", "replace"))
    else:  # one cell replaced by odd text
        cells = lines[index].split(b";")
        at = draw(st.integers(0, len(cells) - 1))
        cells[at] = draw(ODD_CELLS).encode("utf-8", "replace")
        lines[index] = b";".join(cells)
    return b"\n".join(lines)


def all_or_nothing(
    run: Callable[[], object],
    snapshot: Callable[[], object],
    *,
    refused: Callable[[object], bool],
) -> str:
    """Run ``run`` (the importer on one file) and check the contract; returns what happened.

    ``refused(report)`` says whether the importer's report means "nothing written" (line
    errors without the valid-lines-only choice)."""
    before = snapshot()
    outcome = ""
    try:
        with transaction.atomic():
            try:
                report = run()
            except ImportFileError as error:
                assert str(error).strip(), "an unreadable file must be explained"
                assert snapshot() == before, "a refused file wrote something"
                outcome = "unreadable"
            else:
                if refused(report):
                    assert snapshot() == before, f"a file with line errors wrote: {report}"
                    outcome = "line errors"
                else:
                    after = snapshot()
                    run()
                    assert snapshot() == after, "importing the same file twice changed data"
                    outcome = "imported"
            raise _Rollback
    except _Rollback:
        pass
    assert snapshot() == before
    return outcome
