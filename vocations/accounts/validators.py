"""Validators for organization identifiers."""

from __future__ import annotations

from django.core.exceptions import ValidationError

# La Poste's establishments share one SIREN and are numbered beyond what the Luhn key
# allows, so INSEE validates them with "sum of the digits is a multiple of 5" instead.
LA_POSTE_SIREN = "356000000"


def normalize_siret(value: str) -> str:
    """Drop the spaces, dots and dashes people type between the digit groups."""
    return "".join(ch for ch in (value or "") if ch not in " .-\u00a0\u202f")


def luhn_is_valid(digits: str) -> bool:
    """Luhn checksum over a string of digits (the SIREN/SIRET control key)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def siret_is_valid(value: str) -> bool:
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if luhn_is_valid(value):
        return True
    return value.startswith(LA_POSTE_SIREN) and sum(int(c) for c in value) % 5 == 0


def validate_siret(value: str) -> None:
    """Model/form validator: 14 digits with a valid control key. Empty is allowed."""
    if not value:
        return
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            "Le numéro SIRET doit comporter exactement 14 chiffres.", code="siret_format"
        )
    if not siret_is_valid(value):
        raise ValidationError(
            "Ce numéro SIRET n'est pas valide : sa clé de contrôle est incorrecte. "
            "Vérifiez qu'aucun chiffre n'a été inversé ou oublié.",
            code="siret_checksum",
        )
