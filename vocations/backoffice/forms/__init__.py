"""Back-office forms: sign-in, the event form with its organization, filters, review decisions,
an event's partners and programme, a branch's page. The one home of the back-office's forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import transaction

from vocations.careers.branch_pages import MESSAGE_MAX, PAGE_AUDIENCES, TITLE_MAX, branch_trades
from vocations.careers.models import Trade
from vocations.core.audiences import Audience
from vocations.events.models import Event, EventPartner, Label, Partner, Session, Space, Universe
from vocations.events.services import SessionData
from vocations.territories.selectors import region_list

from .events import EventForm, datetime_field


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }

    def __init__(self, *args, locked_seconds: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked_seconds = locked_seconds

    def clean_username(self) -> str:
        # Accounts store e-mails in lower case.
        return (self.cleaned_data.get("username") or "").strip().lower()

    def clean(self):
        # A locked account is refused before the password is checked: the right password
        # gets the same answer as a wrong one (vocations/accounts/lockout.py).
        if self.locked_seconds:
            minutes = -(-self.locked_seconds // 60)
            raise ValidationError(
                "Trop d'essais infructueux pour ce compte. Réessayez dans "
                f"{minutes} minute{'s' if minutes > 1 else ''}, ou réinitialisez votre mot "
                "de passe.",
                code="locked",
            )
        return super().clean()


class ResetRequestForm(PasswordResetForm):
    """ "Mot de passe oublié": the mail leaves after the request's transaction commits, and the
    answer is the same whether the address has an account or not."""

    email = forms.EmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def send_mail(self, *args, **kwargs) -> None:
        send = super().send_mail
        transaction.on_commit(lambda: send(*args, **kwargs))


class NewPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": "Les deux mots de passe ne sont pas identiques."}


class EventCreateForm(EventForm):
    """The event form plus the organization that runs the event (only those the user may change)."""

    organization = forms.ModelChoiceField(
        label="Organisation", queryset=None, empty_label="— Choisissez —"
    )
    field_order = ["organization"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if len(organizations) == 1:
            self.fields["organization"].initial = organizations[0].pk


class EventFilterForm(forms.Form):
    state = forms.ChoiceField(label="État du label", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Tous les états"), *Label.State.choices]


class ReviewQueueFilterForm(forms.Form):
    region = forms.ChoiceField(label="Région", required=False)
    kind = forms.ChoiceField(
        label="Type d'événement",
        required=False,
        choices=[("", "Tous les types"), *Event.Kind.choices],
    )
    min_waiting_days = forms.IntegerField(
        label="Attente minimale (jours ouvrés)", required=False, min_value=0, max_value=365
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", "Toutes les régions"),
            *((r.code, r.name) for r in region_list()),
        ]


# action: (button, message label, message required)
REVIEW_ACTIONS = {
    "accept": ("Labelliser l'événement", "Message à l'organisateur (facultatif)", False),
    "request_changes": ("Demander des modifications", "Modifications demandées", True),
    "refuse": ("Refuser le label", "Motif du refus", True),
}


class ReviewDecisionForm(forms.Form):
    """One decision form per action on the review page; the prefix keeps their ids apart."""

    message = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)
        self.action = action
        self.button, label, required = REVIEW_ACTIONS[action]
        self.fields["message"].label = label
        self.fields["message"].required = required
        if required:
            self.fields["message"].error_messages["required"] = (
                "Expliquez votre décision à l'organisateur."
            )


# --- An event's partners and programme (views/programme.py) --------------------------------------


class PartnerForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=200)
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")
    logo = forms.FileField(
        label="Logo", required=False, help_text="JPEG, PNG ou WebP, 5 Mo au maximum."
    )
    level = forms.ChoiceField(label="Niveau", choices=EventPartner.Level.choices)
    position = forms.IntegerField(label="Ordre d'affichage", min_value=0, initial=0)


class UniverseForm(forms.Form):
    name = forms.CharField(label="Nom", max_length=120)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    position = forms.IntegerField(label="Ordre d'affichage", min_value=0, initial=0)


class SpaceForm(forms.Form):
    universe = forms.ModelChoiceField(label="Univers", queryset=Universe.objects.none())
    name = forms.CharField(label="Nom", max_length=160)
    description = forms.CharField(label="Ce que l'on y fait", required=False, widget=forms.Textarea)
    trades = forms.ModelMultipleChoiceField(
        label="Métiers présentés",
        queryset=Trade.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    partner = forms.ModelChoiceField(
        label="Partenaire qui l'anime",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="— aucun —",
    )
    position = forms.IntegerField(label="Ordre d'affichage", min_value=0, initial=0)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["universe"].queryset = Universe.objects.filter(event=event)
        self.fields["partner"].queryset = Partner.objects.filter(event_links__event=event)
        self.fields["trades"].queryset = Trade.objects.order_by("title")


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=Session.Kind.choices)
    title = forms.CharField(label="Titre", max_length=200)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    space = forms.ModelChoiceField(
        label="Espace", queryset=Space.objects.none(), required=False, empty_label="— aucun —"
    )
    starts_at = datetime_field("Début", help_text="Date et heure, heure de Paris.")
    ends_at = datetime_field("Fin")
    capacity = forms.IntegerField(
        label="Capacité (places)",
        required=False,
        min_value=1,
        help_text="Laissez vide pour ne pas limiter les places.",
    )
    audience = forms.ChoiceField(
        label="Public", choices=[("", "Tous publics"), *Audience.choices], required=False
    )
    school_groups_only = forms.BooleanField(label="Réservé aux groupes scolaires", required=False)
    invitation_only = forms.BooleanField(
        label="Sur invitation (seules les adresses invitées peuvent s'inscrire)", required=False
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(universe__event=event)

    def to_data(self) -> SessionData:
        c = self.cleaned_data
        return SessionData(
            kind=c["kind"],
            title=c["title"],
            description=c["description"],
            space=c["space"],
            starts_at=c["starts_at"],
            ends_at=c["ends_at"],
            capacity=c["capacity"],
            audience=c["audience"],
            school_groups_only=c["school_groups_only"],
            invitation_only=c["invitation_only"],
        )


class InvitationsForm(forms.Form):
    emails = forms.CharField(
        label="Adresses invitées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Une adresse e-mail par ligne. La liste remplace la précédente.",
    )


# --- A branch's public page (views/branch.py) ----------------------------------------------------


class BranchPageForm(forms.Form):
    title = forms.CharField(label="Titre du message", max_length=TITLE_MAX)
    message = forms.CharField(
        label="Message de la branche",
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "La déclinaison de la campagne pour vos métiers ; une ligne vide sépare les "
            "paragraphes."
        ),
    )
    audiences = forms.MultipleChoiceField(
        label="Publics visés",
        choices=PAGE_AUDIENCES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    highlighted_trades = forms.ModelMultipleChoiceField(
        label="Métiers mis en avant",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    image = forms.ImageField(label="Image (2 Mo au plus)", required=False)
    image_alt = forms.CharField(label="Texte alternatif de l'image", max_length=200, required=False)
    remove_image = forms.BooleanField(label="Retirer l'image actuelle", required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["highlighted_trades"].queryset = branch_trades(branch).order_by("title")
