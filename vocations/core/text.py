"""Text that must stay on one line: titles, mail headers, calendar properties.

A line break in an event title once broke every mail subject (Django refuses headers with
newlines) and the .ics files (a content line cannot hold one). Titles are validated single-line;
everything written into a header or a calendar property goes through `single_line` as well,
so older data or a future field cannot break them again. Imports no other app.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# Control characters, line and paragraph separators: anything that ends or hides a line.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]+")
_SPACES = re.compile(r"\s+")

MULTI_LINE_MESSAGE = "Le titre doit tenir sur une ligne (sans retour à la ligne ni tabulation)."


def single_line(value: object) -> str:
    """`value` with every line break and control character turned into one space."""
    text = "" if value is None else str(value)
    return _SPACES.sub(" ", _BREAKS.sub(" ", text)).strip()


def has_line_break(value: str) -> bool:
    return bool(_BREAKS.search(value or ""))


def validate_single_line(value: str) -> None:
    """Model/form validator: refuse rather than silently reshape what the user typed."""
    if has_line_break(value):
        raise ValidationError(MULTI_LINE_MESSAGE, code="multi_line")
