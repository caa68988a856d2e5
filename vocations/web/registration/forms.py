"""Fields of the public registration forms, rendered by hand for phones and screen readers.

No validation here: the values go as typed to the services (RegistrationData,
registration_change_group, accreditation_request), whose French errors come back by field
name. This module only says what each field looks like (label, help, autocomplete, keyboard)
and maps the services' errors onto the fields and the error summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html

from vocations.events.models import Registration
from vocations.events.services import RegistrationData

INDIVIDUAL = Registration.Kind.INDIVIDUAL
GROUP = Registration.Kind.GROUP
TRUE_VALUES = ("1", "on", "true", "oui")
# Text fields are cut here before reaching the service (which has its own limits): a pasted
# novel must cost nothing.
MAX_FIELD_LENGTH = 300


@dataclass
class Choice:
    value: str
    label: str
    hint: str = ""


@dataclass
class Field:
    """One form control and what the page needs to render it accessibly."""

    name: str
    label: str
    kind: str = "text"  # text, email, select, radio, checkbox
    value: Any = ""
    required: bool = True
    help: str = ""
    errors: list[str] = field(default_factory=list)
    autocomplete: str = ""
    inputmode: str = ""
    maxlength: int | None = None
    choices: list[Choice] = field(default_factory=list)
    label_html: str = ""  # a label holding a link (consent)
    autocapitalize: str = ""
    spellcheck: bool = True
    optional_text: str = "facultatif"

    @property
    def id(self) -> str:
        return "champ-" + self.name.replace("_", "-")

    @property
    def first_id(self) -> str:
        """Where the error summary's link lands (the first radio of a group)."""
        return f"{self.id}-1" if self.kind == "radio" else self.id

    @property
    def help_id(self) -> str:
        return f"{self.id}-aide" if self.help else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-erreur" if self.errors else ""

    @property
    def describedby(self) -> str:
        return " ".join(i for i in (self.help_id, self.error_id) if i)

    @property
    def options(self) -> list[dict[str, Any]]:
        """Radio buttons tied to the group's error; a hint sits inside its label (read once)."""
        items = []
        for number, choice in enumerate(self.choices, start=1):
            option_id = f"{self.id}-{number}"
            hint_id = f"{option_id}-info" if choice.hint else ""
            items.append(
                {
                    "id": option_id,
                    "value": choice.value,
                    "label": choice.label,
                    "hint": choice.hint,
                    "hint_id": hint_id,
                    "checked": choice.value == self.value,
                    "describedby": self.error_id,
                }
            )
        return items


@dataclass
class Section:
    title: str
    fields: list[Field]
    # Where the seats left are shown next to the group's size (registration form).
    seats_note: bool = False


def text(values: QueryDict | dict, name: str) -> str:
    value = values.get(name, "")
    return value[:MAX_FIELD_LENGTH] if isinstance(value, str) else ""


def _field(values, errors, name: str, label: str, **extra) -> Field:
    """A control showing the submitted value of ``name`` and its errors."""
    return Field(name, label, value=text(values, name), errors=errors.get(name, []), **extra)


def checked(values: QueryDict | dict, name: str) -> bool:
    return text(values, name).strip().lower() in TRUE_VALUES


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {NON_FIELD_ERRORS: list(exc.messages)}


def registration_data(values: QueryDict | dict, kind: str) -> RegistrationData:
    """What the person typed, for the service; only the fields of the chosen kind."""
    common = {
        "kind": kind,
        "email": text(values, "email"),
        "first_name": text(values, "first_name"),
        "last_name": text(values, "last_name"),
        "consent": checked(values, "consent"),
    }
    if kind == GROUP:
        return RegistrationData(
            **common,
            school_name=text(values, "school_name"),
            uai=text(values, "uai"),
            class_level=text(values, "class_level"),
            pupils=text(values, "pupils"),
            adults=text(values, "adults"),
            origin_department=text(values, "origin_department"),
            # "Inscrire tout le groupe sur liste d'attente", offered when seats are short.
            waitlist=checked(values, "waitlist"),
        )
    return RegistrationData(
        **common,
        audience=text(values, "audience"),
        age_bracket=text(values, "age_bracket"),
        parental_consent=checked(values, "parental_consent"),
    )


def _consent_field(values, errors) -> Field:
    privacy = reverse("web:privacy")
    return Field(
        "consent",
        "J'accepte que ces informations servent à gérer l'inscription.",
        kind="checkbox",
        value=checked(values, "consent"),
        errors=errors.get("consent", []),
        label_html=format_html(
            "J'accepte que ces informations servent uniquement à gérer l'inscription et soient "
            "transmises à l'organisateur de l'événement. "
            '<a href="{}">Vos données personnelles et vos droits</a>',
            privacy,
        ),
    )


def _contact_fields(values, errors) -> list[Field]:
    return [
        _field(
            values,
            errors,
            "first_name",
            "Votre prénom",
            autocomplete="given-name",
            maxlength=100,
        ),
        _field(
            values,
            errors,
            "last_name",
            "Votre nom",
            autocomplete="family-name",
            maxlength=100,
        ),
        _field(
            values,
            errors,
            "email",
            "Votre adresse e-mail",
            kind="email",
            autocomplete="email",
            inputmode="email",
            maxlength=254,
            spellcheck=False,
            help=("Le billet et le lien pour modifier ou annuler l'inscription y seront envoyés."),
        ),
    ]


def individual_sections(values, errors) -> list[Section]:
    return [
        Section("Vous", _contact_fields(values, errors)),
        Section(
            "Votre profil",
            [
                _field(
                    values,
                    errors,
                    "audience",
                    "Vous êtes",
                    kind="radio",
                    choices=[Choice(v, label) for v, label in Registration.Audience.choices],
                ),
                _field(
                    values,
                    errors,
                    "age_bracket",
                    "Votre âge",
                    kind="select",
                    required=False,
                    choices=[Choice("", "Je préfère ne pas le dire")]
                    + [Choice(v, label) for v, label in Registration.AgeBracket.choices],
                ),
                Field(
                    "parental_consent",
                    "J'ai moins de 15 ans et un parent ou un tuteur est d'accord pour cette "
                    "inscription.",
                    kind="checkbox",
                    required=False,
                    optional_text="obligatoire avant 15 ans",
                    value=checked(values, "parental_consent"),
                    errors=errors.get("parental_consent", []),
                    help=(
                        "Avant 15 ans, la loi demande aussi l'accord d'un parent ou d'un tuteur "
                        "pour utiliser tes données : coche cette case avec lui."
                    ),
                ),
            ],
        ),
    ]


def group_sections(values, errors, *, departments, max_group_size: int | None) -> list[Section]:
    size_help = "Aucun nom d'élève n'est demandé : seulement leur nombre."
    if max_group_size:
        size_help += (
            f" Un groupe compte au plus {max_group_size} personnes, accompagnateurs compris."
        )
    return [
        Section(
            "L'établissement",
            [
                _field(
                    values,
                    errors,
                    "school_name",
                    "Nom de l'établissement ou du centre de formation",
                    autocomplete="organization",
                    maxlength=200,
                ),
                _field(
                    values,
                    errors,
                    "uai",
                    "Code UAI de l'établissement",
                    required=False,
                    help="7 chiffres et une lettre, ex. 0691234A.",
                    autocomplete="off",
                    autocapitalize="characters",
                    spellcheck=False,
                    maxlength=8,
                ),
                _field(
                    values,
                    errors,
                    "origin_department",
                    "Département d'origine du groupe",
                    kind="select",
                    choices=[Choice("", "Choisissez un département")]
                    + [Choice(d.code, f"{d.code} — {d.name}") for d in departments],
                ),
            ],
        ),
        Section(
            "Le groupe",
            [
                _field(
                    values,
                    errors,
                    "class_level",
                    "Niveau de la classe",
                    kind="select",
                    choices=[Choice("", "Choisissez un niveau")]
                    + [Choice(v, label) for v, label in Registration.ClassLevel.choices],
                ),
                *group_size_fields(
                    values,
                    errors,
                    help=size_help,
                    adults_label="Nombre d'adultes accompagnateurs, vous compris",
                ),
            ],
            seats_note=True,
        ),
        Section(
            "Vous (enseignant, formateur ou accompagnateur)",
            _contact_fields(values, errors),
        ),
    ]


def consent_section(values, errors) -> Section:
    return Section("Vos données", [_consent_field(values, errors)])


def group_size_fields(
    values, errors, *, help: str = "", adults_label: str = "Nombre d'adultes accompagnateurs"
) -> list[Field]:
    """Pupils and adults: the class form and the self-service "change the group's size" form."""

    def count(name: str, label: str, **extra) -> Field:
        return _field(
            values,
            errors,
            name,
            label,
            inputmode="numeric",
            autocomplete="off",
            maxlength=6,
            **extra,
        )

    return [count("pupils", "Nombre d'élèves", help=help), count("adults", adults_label)]


def press_fields(values, errors) -> list[Field]:
    return [
        _field(
            values,
            errors,
            "full_name",
            "Vos nom et prénom",
            autocomplete="name",
            maxlength=150,
        ),
        _field(
            values,
            errors,
            "email",
            "Votre adresse e-mail professionnelle",
            kind="email",
            autocomplete="email",
            inputmode="email",
            maxlength=254,
            spellcheck=False,
        ),
        _field(
            values,
            errors,
            "phone",
            "Téléphone",
            required=False,
            autocomplete="tel",
            inputmode="tel",
            maxlength=30,
        ),
        _field(
            values,
            errors,
            "outlet",
            "Média",
            autocomplete="organization",
            maxlength=150,
            help="Journal, radio, télévision, site d'information…",
        ),
        _field(
            values,
            errors,
            "role",
            "Fonction",
            autocomplete="organization-title",
            maxlength=100,
            help="Journaliste, photographe, rédacteur ou rédactrice en chef…",
        ),
        _field(
            values,
            errors,
            "press_card_number",
            "Numéro de carte de presse",
            required=False,
            autocomplete="off",
            spellcheck=False,
            maxlength=30,
        ),
    ]


def summary(errors: dict[str, list[str]], fields: list[Field]) -> list[dict[str, str]]:
    """The error summary: each message once, linked to its field when there is one; errors on
    names no field shows (the whole form, the kind of registration…) come first, unlinked."""
    by_name = {f.name: f for f in fields}
    items = [
        {"message": message, "href": ""}
        for name, messages in errors.items()
        if name not in by_name
        for message in messages
    ]
    for f in fields:  # in the order of the page
        for message in errors.get(f.name, []):
            items.append({"message": message, "href": "#" + f.first_id})
    return items
