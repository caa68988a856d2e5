"""French money, number and date formats: parse what people type, format what they read.

Money is always an integer number of cents in code and in the database; only these helpers
convert to and from euros, so rounding happens in one place.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

NBSP = "\u00a0"
# Spaces people (and spreadsheets) put inside numbers: space, no-break, narrow no-break, thin.
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


class FormatError(ValueError):
    """A value cannot be read; the message is French and names the value."""


def format_euros(cents: int) -> str:
    """15_000_000_00 -> "15 000 000 €"; 123456 -> "1 234,56 €" (no-break spaces)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}".replace(",", NBSP)
    decimals = f",{rest:02d}" if rest else ""
    return f"{sign}{grouped}{decimals}{NBSP}€"


def parse_decimal(raw: object) -> Decimal:
    """A number typed the French way ("1 234,56"), the English way ("1,234.56") or a cell value."""
    if isinstance(raw, bool):
        raise FormatError(f"nombre illisible ({raw})")
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    text = _NUMBER_SPACES.sub("", str(raw or "")).replace("€", "").replace("EUR", "")
    text = text.replace("\u2212", "-")  # the typographic minus sign
    if not text:
        raise FormatError("valeur manquante")
    if "," in text and "." in text:
        # The last separator is the decimal one: "1.234,56" or "1,234.56".
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FormatError(f"nombre illisible ({raw})") from None
    if not value.is_finite():
        raise FormatError(f"nombre illisible ({raw})")
    return value


def parse_euros_to_cents(raw: object, *, maximum_euros: int = 10**10) -> int:
    """Euros in any common format -> cents; refuses negative, absurd or sub-cent amounts."""
    value = parse_decimal(raw)
    if value < 0:
        raise FormatError(f"montant négatif ({_plain(value)})")
    if value > maximum_euros:
        raise FormatError(f"montant trop élevé ({_plain(value)} €)")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise FormatError(f"montant avec plus de deux décimales ({_plain(value)})")
    return int(cents)


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


_FR_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def parse_date(raw: object) -> dt.date:
    """JJ/MM/AAAA, JJ-MM-AAAA, AAAA-MM-JJ, or a spreadsheet date cell."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()
    if not text:
        raise FormatError("date manquante")
    if match := _FR_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise FormatError(f"date illisible ({text}), attendu JJ/MM/AAAA")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise FormatError(f"date impossible ({text})") from None


def format_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def normalize_key(text: object) -> str:
    """ "Coût prévu (€)" -> "cout prevu": lower case, no accents, single spaces, no units."""
    value = unicodedata.normalize("NFKD", str(text or ""))
    value = "".join(c for c in value if not unicodedata.combining(c)).lower()
    value = re.sub(r"\(.*?\)", " ", value)
    value = re.sub(r"[^a-z0-9]+", " ", value)
    return " ".join(value.split())
