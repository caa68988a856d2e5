"""Reads for the public pages."""

import unicodedata

from vocations.careers.models import Sector


def _french_sort_key(text: str) -> tuple[str, str]:
    # Databases order by code point ("Agro…" before "Aéro…"); readers expect dictionary order.
    # Accents are ignored first, then break ties, whatever the database's collation.
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold(), text


def sector_list() -> list[Sector]:
    """Every sector (filière) in French dictionary order, for the home page's "Les filières"."""
    return sorted(Sector.objects.order_by("name"), key=lambda s: _french_sort_key(s.name))
