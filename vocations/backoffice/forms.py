"""Back-office forms: sign-in, the event form with its organization, filters, review decisions."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import transaction

from vocations.events.forms import EventForm
from vocations.events.models import Event, Label
from vocations.territories.selectors import region_list


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
