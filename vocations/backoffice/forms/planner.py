"""The planner's input form (types only; vocations.planner.services owns the rules)."""

from __future__ import annotations

from django import forms

from vocations.campaigns.formats import parse_euros_to_cents


class EurosField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        try:
            return parse_euros_to_cents(value)
        except (ValueError, TypeError, forms.ValidationError) as error:
            raise forms.ValidationError("Montant illisible (ex. : 2 500 000).") from error


def _codes(value: str) -> list[str]:
    return [c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()]


class PlanForm(forms.Form):
    name = forms.CharField(label="Nom du plan", max_length=120)
    wave = forms.ModelChoiceField(label="Vague à planifier", queryset=None)
    budget = EurosField(label="Budget de la vague (€)")
    fixed_costs = EurosField(label="Frais fixes (production, agence) (€)", required=False)
    starts_on = forms.DateField(label="Début", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Fin", widget=forms.DateInput(attrs={"type": "date"}))
    must_cover = forms.CharField(
        label="Départements à couvrir (codes séparés par des virgules)", required=False
    )
    must_not = forms.CharField(label="Départements exclus", required=False)
    difficulty_weight = forms.FloatField(
        label="Poids des recrutements jugés difficiles (0 : projets seuls)",
        initial=1.0,
        help_text="Besoin d'un département = projets de recrutement BMO × (1 + poids × part "
        "des projets difficiles).",
    )

    def __init__(self, *args, waves, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = waves
        self.channels = channels
        for code, label in channels:
            self.fields[f"min_{code}"] = EurosField(label=f"{label} : minimum (€)", required=False)
            self.fields[f"share_{code}"] = forms.FloatField(
                label=f"{label} : part maximale (%)", required=False, min_value=0, max_value=100
            )
            self.fields[f"weight_{code}"] = forms.FloatField(
                label=f"{label} : poids du public visé",
                required=False,
                min_value=0,
                max_value=10,
                help_text="1 : le public du canal est celui de la campagne.",
            )

    def to_data(self) -> dict:
        d = self.cleaned_data
        data = {
            "name": d["name"],
            "budget_cents": d["budget"] or 0,
            "fixed_costs_cents": d.get("fixed_costs") or 0,
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "must_cover": _codes(d.get("must_cover") or ""),
            "must_not": _codes(d.get("must_not") or ""),
            "difficulty_weight": d["difficulty_weight"],
            "minimums": {},
            "max_shares": {},
            "channel_weights": {},
        }
        for code, _ in self.channels:
            if d.get(f"min_{code}") is not None:
                data["minimums"][code] = d[f"min_{code}"]
            if d.get(f"share_{code}") is not None:
                data["max_shares"][code] = d[f"share_{code}"] / 100
            if d.get(f"weight_{code}") is not None:
                data["channel_weights"][code] = d[f"weight_{code}"]
        return data
