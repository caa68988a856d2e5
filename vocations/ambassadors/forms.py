"""Back-office and public forms of the collective. They check types; the services the rules."""

from __future__ import annotations

from django import forms

from vocations.campaigns.models import Campaign, Wave
from vocations.careers.models import Sector
from vocations.core.audiences import Audience
from vocations.events.models import Event
from vocations.territories.models import Department

from .models import Generation, PostMetric, Theme
from .networks import PROFILE_NETWORKS, Network


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _departments():
    return Department.objects.order_by("code")


class InviteForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    full_name = forms.CharField(label="Nom", max_length=150, required=False)
    message = forms.CharField(
        label="Message (facultatif)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class JoinRequestForm(forms.Form):
    full_name = forms.CharField(label="Nom et prénom", max_length=150)
    email = forms.EmailField(label="Adresse e-mail")
    department = forms.ModelChoiceField(
        label="Votre département",
        queryset=Department.objects.none(),
        required=False,
        empty_label="— Choisissez —",
    )
    message = forms.CharField(
        label="Pourquoi voulez-vous rejoindre le collectif ?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments()


class JoinForm(forms.Form):
    password = forms.CharField(
        label="Choisissez un mot de passe (10 caractères au moins)",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label="J'adhère à la charte du collectif et j'accepte que mon profil soit traité pour "
        "l'animer (je peux le quitter et effacer mes données à tout moment).",
        required=False,
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Nom affiché", max_length=150)
    role = forms.CharField(label="Fonction", max_length=150, required=False)
    company = forms.CharField(label="Entreprise ou organisation", max_length=200, required=False)
    sector = forms.ModelChoiceField(
        label="Filière", queryset=Sector.objects.none(), required=False, empty_label="—"
    )
    department = forms.ModelChoiceField(
        label="Département", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    generation = forms.ChoiceField(
        label="Génération", choices=[("", "—"), *Generation.choices], required=False
    )
    bio = forms.CharField(label="En quelques mots", max_length=300, required=False)
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes qui vous tiennent à cœur",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_public = forms.BooleanField(
        label="Me montrer sur la page publique du collectif (nom, fonction, entreprise, "
        "département, thèmes — jamais mon e-mail ni mes comptes)",
        required=False,
    )

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.order_by("name")
        self.fields["department"].queryset = _departments()
        self.fields["themes"].queryset = themes if themes is not None else Theme.objects.all()


class NetworkForm(forms.Form):
    network = forms.ChoiceField(label="Réseau", choices=PROFILE_NETWORKS)
    handle = forms.CharField(label="Compte ou adresse", max_length=200, required=False)
    audience_size = forms.IntegerField(
        label="Audience déclarée", min_value=0, max_value=500_000_000
    )
    audiences = forms.MultipleChoiceField(
        label="Publics touchés (laissez vide pour les publics habituels de ce réseau)",
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MobilisationForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=200)
    event = forms.ModelChoiceField(
        label="Événement", queryset=Event.objects.none(), required=False, empty_label="—"
    )
    wave = forms.ModelChoiceField(
        label="ou vague de campagne",
        queryset=Wave.objects.none(),
        required=False,
        empty_label="—",
    )
    campaign = forms.ModelChoiceField(
        label="Campagne dont le bilan compte les liens (pour un événement)",
        queryset=Campaign.objects.none(),
        required=False,
        empty_label="—",
    )
    goal = forms.CharField(
        label="Objectif", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    target_audiences = forms.MultipleChoiceField(
        label="Publics visés",
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label="Début", widget=DateInput())
    ends_on = forms.DateField(label="Fin", widget=DateInput())

    def __init__(self, *args, themes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(is_published=True).order_by(
            "-starts_at", "pk"
        )
        self.fields["wave"].queryset = Wave.objects.select_related("campaign").order_by(
            "campaign__name", "number"
        )
        self.fields["campaign"].queryset = Campaign.objects.order_by("name")
        self.fields["themes"].queryset = themes if themes is not None else Theme.objects.all()


class PostForm(forms.Form):
    network = forms.ChoiceField(label="Réseau", choices=Network.choices)
    url = forms.CharField(
        label="Adresse de la publication",
        max_length=500,
        required=False,
        help_text="https://… sur le réseau choisi ; « Autre » pour un autre site.",
    )
    published_on = forms.DateField(label="Publiée le", widget=DateInput())
    theme = forms.ModelChoiceField(
        label="Thème", queryset=Theme.objects.none(), required=False, empty_label="—"
    )
    mobilisation = forms.ModelChoiceField(
        label="Mobilisation", queryset=None, required=False, empty_label="—"
    )
    text = forms.CharField(
        label="Texte (facultatif)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, themes=None, mobilisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes if themes is not None else Theme.objects.all()
        self.fields["mobilisation"].queryset = mobilisations


class MetricsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in PostMetric.Metric.choices:
            self.fields[value] = forms.IntegerField(
                label=label, min_value=0, max_value=10**12, required=False
            )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export LinkedIn (CSV ou .xlsx)",
        help_text="Le fichier « Statistiques des posts » de LinkedIn, 5 Mo au plus.",
    )
