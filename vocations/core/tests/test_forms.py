"""One way to put a service's French errors on a form (vocations/core/forms.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from vocations.core.forms import add_service_errors


class PlaceForm(forms.Form):
    name = forms.CharField(required=False)
    territory = forms.CharField(required=False)


def test_errors_land_on_their_field_renamed_or_on_top():
    form = PlaceForm(data={})
    assert form.is_valid()
    error = ValidationError(
        {
            "name": ["Le nom est obligatoire."],
            "commune": ["Commune inconnue."],  # the service's name for the form's territory
            "budget": ["Budget dépassé."],  # no such field: shown on top
        }
    )

    add_service_errors(form, error, field_for={"commune": "territory"})

    assert form.errors["name"] == ["Le nom est obligatoire."]
    assert form.errors["territory"] == ["Commune inconnue."]
    assert form.non_field_errors() == ["Budget dépassé."]


def test_an_error_without_fields_goes_on_top():
    form = PlaceForm(data={})
    assert form.is_valid()

    add_service_errors(form, ValidationError("Les inscriptions sont closes."))

    assert form.non_field_errors() == ["Les inscriptions sont closes."]
