"""Forms of the event outcome report: press coverage and officials (services validate)."""

from __future__ import annotations

from django import forms


class MediaArticleForm(forms.Form):
    outlet = forms.CharField(label="Média", max_length=150, help_text="Journal, radio, site…")
    published_on = forms.DateField(
        label="Date de parution",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Indiquez une date, par exemple 2026-11-23."},
    )
    title = forms.CharField(label="Titre", max_length=300, required=False)
    url = forms.URLField(
        label="Lien",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Indiquez une adresse web complète (https://…)."},
    )
    reach = forms.IntegerField(
        label="Audience déclarée",
        min_value=0,
        required=False,
        help_text="Lecteurs, auditeurs ou téléspectateurs selon le média ; vide si inconnue.",
        error_messages={
            "invalid": "Indiquez un nombre entier.",
            "min_value": "L'audience ne peut pas être négative.",
        },
    )


class OutcomeFactsForm(forms.Form):
    vip_count = forms.IntegerField(
        label="Personnalités officielles venues (ministres, élus…)",
        min_value=0,
        required=False,
        help_text="Vide si non renseigné.",
        error_messages={
            "invalid": "Indiquez un nombre entier.",
            "min_value": "Le nombre ne peut pas être négatif.",
        },
    )
    vip_note = forms.CharField(label="Précisions", max_length=300, required=False)
