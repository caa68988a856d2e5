"""Back-office forms of the campaign screens. They check types; the services check the rules."""

from __future__ import annotations

from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vocations.campaigns.formats import FormatError, format_euros, parse_euros_to_cents
from vocations.campaigns.models import BranchMessage, Channel, Placement, Wave
from vocations.campaigns.selectors import territory_code, territory_from_code
from vocations.campaigns.services import BranchMessageData, CampaignData, PlacementData, WaveData
from vocations.campaigns.tables import MAX_FILE_BYTES, preflight
from vocations.core.audiences import Audience
from vocations.core.exceptions import ImportFileError
from vocations.core.forms import add_service_errors as core_add_service_errors
from vocations.territories.models import Commune

# Service error keys -> form fields.
FORM_FIELD_FOR_DATA = {
    "budget_cents": "budget",
    "planned_cents": "planned",
    "committed_cents": "committed",
    "scope": "territory",
    "region": "territory",
    "department": "territory",
    "commune": "territory",
    "trade_ids": "trades",
    "placement_ids": "placements",
}


# A service's errors on a campaign form (one implementation: vocations/core/forms.py).
add_service_errors = partial(core_add_service_errors, field_for=FORM_FIELD_FOR_DATA)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EuroField(forms.CharField):
    """Euros as people type them ("1 234,56", "15 000 000 €"); cleaned to cents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "En euros, par exemple 1 234,56.")
        super().__init__(max_length=40, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_euros(value).replace("\u00a0€", "").replace("\u00a0", " ")
        return value

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return 0
        try:
            return parse_euros_to_cents(value)
        except FormatError as error:
            raise ValidationError(f"Montant illisible : {error}.") from None


class CampaignForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Organisation", queryset=None, empty_label="— Choisissez —"
    )
    name = forms.CharField(label="Nom", max_length=200)
    signature = forms.CharField(label="Signature", max_length=200, required=False)
    budget = EuroField(label="Budget total")
    starts_on = forms.DateField(label="Début", widget=DateInput())
    ends_on = forms.DateField(label="Fin", widget=DateInput())
    banner_colour = forms.CharField(
        label="Couleur du bandeau",
        max_length=7,
        initial="#000091",
        widget=forms.TextInput(attrs={"type": "color"}),
        help_text="Utilisée pour les QR codes si elle est assez foncée (sinon, noir).",
    )
    attribution_window_days = forms.IntegerField(
        label="Fenêtre d'attribution (jours)", min_value=1, max_value=365, initial=30
    )

    def __init__(self, *args, organizations=None, campaign=None, **kwargs):
        if campaign is not None:
            kwargs.setdefault("initial", {}).update(
                vars(CampaignData.from_campaign(campaign)) | {"budget": campaign.budget_cents}
            )
        super().__init__(*args, **kwargs)
        if organizations is None:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations

    def to_data(self) -> CampaignData:
        d = self.cleaned_data
        return CampaignData(
            name=d["name"],
            signature=d["signature"],
            budget_cents=d["budget"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            banner_colour=d["banner_colour"],
            attribution_window_days=d["attribution_window_days"],
        )


class WaveForm(forms.Form):
    number = forms.IntegerField(label="Numéro", min_value=1, max_value=99)
    name = forms.CharField(label="Nom", max_length=120)
    starts_on = forms.DateField(label="Début", widget=DateInput())
    ends_on = forms.DateField(label="Fin", widget=DateInput())

    def to_data(self) -> WaveData:
        return WaveData(**self.cleaned_data)


class PlacementForm(forms.Form):
    wave = forms.ModelChoiceField(label="Vague", queryset=None, empty_label="— Choisissez —")
    channel = forms.ChoiceField(label="Canal", choices=Channel.choices)
    name = forms.CharField(label="Libellé", max_length=200)
    territory = forms.CharField(
        label="Territoire",
        max_length=40,
        initial="national",
        help_text=(
            "« national », une région (« région 84 »), un département (« 69 », « 2A ») "
            "ou une commune (code INSEE, « 69123 »)."
        ),
    )
    quantity = forms.IntegerField(label="Quantité", min_value=0, initial=0)
    unit = forms.CharField(
        label="Unité", max_length=40, required=False, help_text="panneaux, écrans, spots…"
    )
    starts_on = forms.DateField(label="Début", widget=DateInput())
    ends_on = forms.DateField(label="Fin", widget=DateInput())
    planned = EuroField(label="Coût prévu", required=False)
    committed = EuroField(label="Coût engagé", required=False)
    landing_path = forms.CharField(
        label="Page d'arrivée des liens",
        max_length=300,
        initial="/",
        help_text="Une adresse de ce site, par exemple /evenements/.",
    )
    branch_message = forms.ModelChoiceField(
        label="Déclinaison de branche", queryset=None, required=False, empty_label="Aucune"
    )

    def __init__(self, *args, campaign, placement: Placement | None = None, **kwargs):
        if placement is not None:
            data = PlacementData.from_placement(placement)
            kwargs.setdefault("initial", {}).update(
                vars(data)
                | {
                    "territory": territory_code(placement),
                    "planned": placement.planned_cents,
                    "committed": placement.committed_cents,
                }
            )
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = Wave.objects.filter(campaign=campaign).order_by("number")
        self.fields["branch_message"].queryset = BranchMessage.objects.filter(
            campaign=campaign
        ).select_related("branch")

    def clean_territory(self):
        try:
            return territory_from_code(self.cleaned_data["territory"])
        except ValidationError as error:
            raise ValidationError(error.messages[0].capitalize() + ".") from None

    def to_data(self) -> PlacementData:
        d = self.cleaned_data
        territory = d["territory"]
        return PlacementData(
            wave=d["wave"],
            channel=d["channel"],
            name=d["name"],
            scope=territory.scope,
            region=territory.region,
            department=territory.department,
            commune=territory.commune,
            quantity=d["quantity"],
            unit=d["unit"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            planned_cents=d["planned"],
            committed_cents=d["committed"],
            landing_path=d["landing_path"],
            branch_message=d["branch_message"],
        )


class PlacementFilterForm(forms.Form):
    wave = forms.TypedChoiceField(label="Vague", required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(
        label="Canal", required=False, choices=[("", "Tous les canaux"), *Channel.choices]
    )

    def __init__(self, *args, waves, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wave"].choices = [("", "Toutes les vagues")] + [
            (w.pk, f"{w.number}. {w.name}") for w in waves
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier",
        help_text="CSV (UTF-8 ou Windows-1252, séparateur ; ou ,) ou classeur .xlsx, 5 Mo au plus.",
    )

    def clean_file(self):
        # What costs nothing is refused here, before the file is stored for the worker.
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError("Fichier trop lourd : 5 Mo au maximum.")
        content = upload.read()
        try:
            preflight(content, upload.name)
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        return SimpleUploadedFile(upload.name, content)


class CommuneLinksForm(forms.Form):
    communes = forms.CharField(
        label="Communes (codes INSEE)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un code INSEE par ligne ou séparés par des virgules, par exemple 69123.",
    )

    def clean_communes(self):
        codes = [
            c.strip().upper() for c in self.cleaned_data["communes"].replace(",", "\n").split()
        ]
        codes = list(dict.fromkeys(c for c in codes if c))
        if len(codes) > 500:
            raise ValidationError("500 communes au plus à la fois.")
        communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=codes)}
        unknown = [c for c in codes if c not in communes]
        if unknown:
            raise ValidationError(f"Codes INSEE inconnus : {', '.join(unknown[:20])}.")
        return [communes[c] for c in codes]


class BranchMessageForm(forms.Form):
    branch = forms.ModelChoiceField(
        label="Branche professionnelle", queryset=None, empty_label="— Choisissez —"
    )
    title = forms.CharField(label="Titre", max_length=200)
    text = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 6}))
    audiences = forms.MultipleChoiceField(
        label="Publics visés",
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trades = forms.ModelMultipleChoiceField(
        label="Métiers mis en avant",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    placements = forms.ModelMultipleChoiceField(
        label="Emplacements qui portent cette déclinaison",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    image = forms.ImageField(label="Visuel", required=False)
    image_alt = forms.CharField(label="Texte alternatif du visuel", max_length=200, required=False)

    def __init__(self, *args, campaign, branches=None, message: BranchMessage | None = None, **kw):
        if message is not None:
            kw.setdefault("initial", {}).update(
                title=message.title,
                text=message.text,
                image_alt=message.image_alt,
                audiences=[a.audience for a in message.audiences.all()],
                trades=list(message.trades.all()),
                placements=list(message.placements.all()),
            )
        super().__init__(*args, **kw)
        from vocations.careers.models import Trade

        if branches is None:
            del self.fields["branch"]
            trades = Trade.objects.filter(branches=message.branch)
        else:
            self.fields["branch"].queryset = branches
            trades = Trade.objects.filter(is_featured=True)
        self.fields["trades"].queryset = trades.order_by("title")
        self.fields["placements"].queryset = Placement.objects.filter(
            campaign=campaign
        ).select_related("wave")
        self.fields["placements"].label_from_instance = lambda p: (
            f"Vague {p.wave.number} — {p.get_channel_display()} — {p.name}"
        )

    def to_data(self) -> BranchMessageData:
        d = self.cleaned_data
        return BranchMessageData(
            title=d["title"],
            text=d["text"],
            audiences=list(d["audiences"]),
            trade_ids=[t.pk for t in d["trades"]],
            placement_ids=[p.pk for p in d["placements"]],
            image=d.get("image") or None,
            image_alt=d["image_alt"],
        )
