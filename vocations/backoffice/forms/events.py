"""Django forms that map onto EventData: they parse and shape input, the services decide.

The forms check types (a date is a date, a number a number); every rule about events (end
after start, registration window, known commune, a real image…) lives in the services, whose
ValidationError is mapped back onto the form with ``add_service_errors``.
"""

from __future__ import annotations

import dataclasses
from functools import partial

from django import forms
from django.db.models import Q

from vocations.careers.models import Sector, Trade
from vocations.core.audiences import Audience
from vocations.core.forms import add_service_errors as core_add_service_errors
from vocations.events.models import Event
from vocations.events.services import EventData
from vocations.territories.selectors import communes_for_postal_code

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

# EventData names that a form field carries under another name.
FORM_FIELD_FOR_DATA = {"sector_ids": "sectors", "trade_ids": "trades"}


class DateTimeLocalInput(forms.DateTimeInput):
    """An <input type="datetime-local">, read and shown in the current time zone (Paris)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL_FORMAT)


def datetime_field(label: str, *, required: bool = True, help_text: str = "") -> forms.Field:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
    )


# A service's errors on an event form (one implementation: vocations/core/forms.py).
add_service_errors = partial(core_add_service_errors, field_for=FORM_FIELD_FOR_DATA)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="Type d'événement", choices=Event.Kind.choices)
    title = forms.CharField(label="Titre", max_length=200)
    summary = forms.CharField(
        label="Résumé",
        max_length=300,
        required=False,
        help_text="Une ou deux phrases, montrées dans les listes (300 caractères au plus).",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    starts_at = datetime_field("Début", help_text="Date et heure, heure de Paris.")
    ends_at = datetime_field("Fin", help_text="Date et heure, heure de Paris.")

    is_online = forms.BooleanField(label="Événement en ligne", required=False)
    online_url = forms.URLField(
        label="Lien de la session en ligne",
        required=False,
        assume_scheme="https",
        help_text="Seulement pour un événement en ligne.",
    )
    postal_code = forms.CharField(
        label="Code postal",
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    commune_insee = forms.CharField(
        label="Commune",
        required=False,
        widget=forms.Select(),
        help_text="Les communes du code postal saisi. Sans JavaScript, enregistrez une "
        "première fois : la liste se remplit.",
    )
    venue_name = forms.CharField(label="Nom du lieu", max_length=200, required=False)
    address = forms.CharField(
        label="Adresse",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    access_info = forms.CharField(
        label="Accès (transports, stationnement)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accessibility_info = forms.CharField(
        label="Accessibilité (handicap)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    is_open_to_public = forms.BooleanField(label="Ouvert au public", required=False, initial=True)
    is_free = forms.BooleanField(label="Gratuit", required=False, initial=True)
    price_info = forms.CharField(
        label="Tarif", max_length=200, required=False, help_text="Pour un événement payant."
    )

    audiences = forms.MultipleChoiceField(
        label="Publics visés",
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.ModelMultipleChoiceField(
        label="Filières",
        queryset=Sector.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Ctrl (ou Cmd) + clic pour en choisir plusieurs.",
    )
    trades = forms.ModelMultipleChoiceField(
        label="Métiers présentés",
        queryset=Trade.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les métiers phares de l'industrie et ceux déjà choisis.",
    )

    capacity = forms.IntegerField(
        label="Capacité (places)",
        required=False,
        min_value=1,
        help_text="Laissez vide s'il n'y a pas de limite.",
    )
    registration_opens_at = datetime_field("Ouverture des inscriptions", required=False)
    registration_closes_at = datetime_field(
        "Clôture des inscriptions",
        required=False,
        help_text="Avant la fin de l'événement.",
    )
    accepts_groups = forms.BooleanField(
        label="Accepte les groupes (classes, associations)", required=False
    )
    max_group_size = forms.IntegerField(
        label="Taille maximale d'un groupe", required=False, min_value=1
    )
    # "" = automatic confirmation; else offers valid this many hours (services/waitlist.py).
    waitlist_offer_hours = forms.TypedChoiceField(
        label="Liste d'attente : quand une place se libère",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "confirmer automatiquement la personne suivante")]
        + [(h, f"la lui proposer par e-mail, {h} heures pour confirmer") for h in (24, 48, 72)],
        help_text="Avec une proposition, la place est gardée pour la personne pendant ce délai ; "
        "sans réponse, elle passe à la suivante.",
    )

    max_companions = forms.IntegerField(
        label="Accompagnants par inscription individuelle",
        required=False,
        min_value=0,
        max_value=10,
        help_text="0 : chacun s'inscrit seul. Sinon, une personne peut venir avec jusqu'à ce "
        "nombre d'accompagnants (chacun occupe une place).",
    )

    image = forms.FileField(
        label="Image",
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG ou WebP, 5 Mo au maximum. Sans nouveau fichier, l'image actuelle "
        "est gardée.",
    )
    image_alt = forms.CharField(
        label="Texte alternatif de l'image",
        max_length=200,
        required=False,
        help_text="Ce que montre l'image, pour les personnes qui ne la voient pas.",
    )

    def __init__(self, *args, event: Event | None = None, **kwargs):
        self.event = event
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from_event(event)
        super().__init__(*args, **kwargs)
        self._set_trade_choices()
        self._set_commune_choices()

    @staticmethod
    def initial_from_event(event: Event) -> dict:
        data = EventData.from_event(event)
        initial = {
            f.name: getattr(data, f.name)
            for f in dataclasses.fields(EventData)
            if f.name not in ("image", "sector_ids", "trade_ids")
        }
        initial["sectors"] = data.sector_ids
        initial["trades"] = data.trade_ids
        return initial

    def _set_trade_choices(self) -> None:
        # Featured trades plus those the saved event already shows: a short list to scan.
        chosen_ids = [int(pk) for pk in (self.initial.get("trades") or [])]
        self.fields["trades"].queryset = Trade.objects.filter(
            Q(is_featured=True) | Q(pk__in=chosen_ids)
        ).order_by("title")

    def _set_commune_choices(self) -> None:
        # The select lists the communes of the postal code typed (or saved): the plain
        # second step that works without JavaScript.
        if self.is_bound:
            code = self.data.get(self.add_prefix("postal_code"), "")
        else:
            code = self.initial.get("postal_code") or ""
        communes = list(communes_for_postal_code(code))
        choices = [
            ("", "— Choisissez la commune —" if communes else "— Saisissez le code postal —")
        ]
        choices += [(c.insee_code, f"{c.name} ({c.insee_code})") for c in communes]
        self.fields["commune_insee"].widget.choices = choices

    def clean_postal_code(self) -> str:
        return (self.cleaned_data.get("postal_code") or "").strip()

    def clean(self):
        cleaned = super().clean()
        has_image = bool(cleaned.get("image")) or bool(self.event and self.event.image)
        if has_image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", "Décrivez l'image en quelques mots (texte alternatif).")
        return cleaned

    def to_event_data(self, *, base: EventData | None = None) -> EventData:
        """The EventData for the services; `base` keeps what the form does not show."""
        c = self.cleaned_data
        values = {
            "kind": c["kind"],
            "title": c["title"],
            "summary": c.get("summary") or "",
            "description": c.get("description") or "",
            "starts_at": c["starts_at"],
            "ends_at": c["ends_at"],
            "is_online": bool(c.get("is_online")),
            "online_url": c.get("online_url") or "",
            "postal_code": c.get("postal_code") or "",
            "commune_insee": c.get("commune_insee") or "",
            "venue_name": c.get("venue_name") or "",
            "address": c.get("address") or "",
            "access_info": c.get("access_info") or "",
            "accessibility_info": c.get("accessibility_info") or "",
            "is_open_to_public": bool(c.get("is_open_to_public")),
            "is_free": bool(c.get("is_free")),
            "price_info": c.get("price_info") or "",
            "audiences": list(c.get("audiences") or []),
            "sector_ids": [s.pk for s in c.get("sectors") or []],
            "trade_ids": [t.pk for t in c.get("trades") or []],
            "capacity": c.get("capacity"),
            "registration_opens_at": c.get("registration_opens_at"),
            "registration_closes_at": c.get("registration_closes_at"),
            "accepts_groups": bool(c.get("accepts_groups")),
            "max_group_size": c.get("max_group_size"),
            "waitlist_offer_hours": c.get("waitlist_offer_hours"),
            "max_companions": c.get("max_companions") or 0,
            "image": c.get("image") or None,
            "image_alt": c.get("image_alt") or "",
        }
        if base is not None:
            return dataclasses.replace(base, **values)
        return EventData(**values)


class EventDuplicateForm(forms.Form):
    starts_at = datetime_field(
        "Début de la nouvelle date",
        help_text="La fin et les inscriptions sont décalées d'autant.",
    )
