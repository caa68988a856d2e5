"""Media-plan and media-figures imports from CSV or XLSX files.

Files are read by vocations.campaigns.tables (encodings, delimiters, XLSX, headers; a file that
cannot be read or lacks columns raises ImportFileError naming them). Every line is checked
before anything is written; line problems come back as "Ligne 7 : montant négatif (-12)" (line
1 is the header, as in a spreadsheet). A file with errors writes nothing unless the user asks
for the valid lines only. Both imports are upserts, so importing the same file twice changes
nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vocations.accounts.permissions import require
from vocations.campaigns.formats import (
    FormatError,
    format_date,
    normalize_key,
    parse_date,
    parse_decimal,
    parse_euros_to_cents,
)
from vocations.campaigns.models import Campaign, Channel, MediaFigure, Placement, Wave
from vocations.campaigns.services.plan import (
    MAX_QUANTITY,
    PlacementData,
    committed_total,
    lock_campaign,
    over_budget_message,
    placement_errors,
    placement_warnings,
)
from vocations.campaigns.tables import ImportReport, LineError, columns, read_table
from vocations.campaigns.territory_codes import Territory, territory_from_code
from vocations.core.exceptions import ImportFileError
from vocations.core.jobs import Progress
from vocations.core.services import audit_log

MAX_FIGURE = Decimal(10**12)
MAX_GRP = Decimal(10_000)


def _tick(progress: Progress | None, index: int, total: int) -> None:
    """Tell the waiting page how far the check is, every 200 lines (a cache write each)."""
    if progress is not None and index % 200 == 0:
        progress(index, total)


# --- media plan ------------------------------------------------------------------------------

PLAN_COLUMNS = columns(
    ("wave", "vague", "wave|numero de vague|n vague", True),
    ("channel", "canal", "channel|media|support", True),
    ("name", "libellé", "libelle|emplacement|nom|label", True),
    ("territory", "territoire", "territory|zone|code territoire", True),
    ("quantity", "quantité", "quantite|qte|quantity", False),
    ("unit", "unité", "unite|unit", False),
    ("starts_on", "début", "debut|date de debut|start", True),
    ("ends_on", "fin", "date de fin|end", True),
    ("planned", "coût prévu", "cout prevu|prevu|budget prevu|planned", True),
    ("committed", "coût engagé", "cout engage|engage|committed", True),
)
CHANNEL_ALIASES = {
    normalize_key(alias): value
    for value, aliases in {
        Channel.TV: "tv|télévision|television|tele|télé",
        Channel.REPLAY: "replay|télévision de rattrapage|svod|avod",
        Channel.CINEMA: "cinéma|cinema|salles",
        Channel.BILLBOARD: "affichage|billboard|panneaux|ooh|dooh|affiches",
        Channel.WEB: "web|site|internet|display",
        Channel.SOCIAL: "réseaux sociaux|reseaux sociaux|social|rs|social media",
        Channel.EVENTS: "événements|evenements|events|événementiel",
        Channel.PRESS: "presse|press",
        Channel.INFLUENCE: "influence|influenceurs",
    }.items()
    for alias in aliases.split("|")
}
PLAN_FIELD_LABELS = {
    "wave": "vague",
    "channel": "canal",
    "name": "libellé",
    "scope": "territoire",
    "quantity": "quantité",
    "unit": "unité",
    "starts_on": "dates",
    "ends_on": "dates",
    "planned_cents": "coût prévu",
    "committed_cents": "coût engagé",
    "landing_path": "page d'arrivée",
}


def _wave_for(raw: object, waves: dict[int, Wave], by_name: dict[str, Wave]) -> Wave:
    text = str(raw).strip()
    if isinstance(raw, int | float) or text.isdigit():
        number = int(float(raw)) if not isinstance(raw, str) else int(text)
    else:
        key = normalize_key(text)
        if key in by_name:
            return by_name[key]
        digits = "".join(c for c in key if c.isdigit())
        if not digits:
            raise FormatError(f"vague inconnue ({text})")
        number = int(digits)
    if number not in waves:
        raise FormatError(f"vague {number} inconnue dans cette campagne")
    return waves[number]


def _quantity(raw: object) -> int:
    if raw in ("", None):
        return 0
    value = parse_decimal(raw)
    if value < 0:
        raise FormatError(f"quantité négative ({raw})")
    if value != value.to_integral_value():
        raise FormatError(f"quantité non entière ({raw})")
    if value > MAX_QUANTITY:
        raise FormatError(f"quantité invraisemblable ({raw})")
    return int(value)


@dataclasses.dataclass
class _PlanLine:
    line: int
    data: PlacementData
    key: tuple


def _parse_plan_line(line, values, *, campaign, waves, by_name, territories, report):
    errors = []

    def read(key, parser, *args):
        try:
            return parser(values.get(key, ""), *args)
        except (FormatError, ValidationError) as error:
            message = error.messages[0] if isinstance(error, ValidationError) else str(error)
            errors.append(f"{PLAN_COLUMNS_BY_KEY[key].label} : {message}")
            return None

    wave = read("wave", _wave_for, waves, by_name)
    channel_raw = str(values.get("channel", ""))
    channel = CHANNEL_ALIASES.get(normalize_key(channel_raw))
    if channel is None:
        errors.append(f"canal inconnu ({channel_raw or 'vide'})")
    name = str(values.get("name", "")).strip()
    if not name:
        errors.append("libellé manquant")
    territory_raw = str(values.get("territory", "")).strip()
    if territory_raw not in territories:
        try:
            territories[territory_raw] = territory_from_code(territory_raw)
        except ValidationError as error:
            territories[territory_raw] = error.messages[0]
    territory = territories[territory_raw]
    if isinstance(territory, str):
        errors.append(territory)
    quantity = read("quantity", _quantity)
    starts_on = read("starts_on", parse_date)
    ends_on = read("ends_on", parse_date)
    planned = read("planned", parse_euros_to_cents)
    committed = read("committed", parse_euros_to_cents)
    if errors:
        for message in errors:
            report.error(line, message)
        return None
    data = PlacementData(
        wave=wave,
        channel=channel,
        name=name,
        scope=territory.scope,
        region=territory.region,
        department=territory.department,
        commune=territory.commune,
        quantity=quantity,
        unit=str(values.get("unit", "")).strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        planned_cents=planned,
        committed_cents=committed,
    )
    if problems := placement_errors(campaign, data):
        for field, message in problems.items():
            report.error(line, f"{PLAN_FIELD_LABELS.get(field, field)} : {message}")
        return None
    for warning in placement_warnings(data, wave):
        report.warnings.append(f"Ligne {line} : {warning}")
    return _PlanLine(line, data, _plan_key(wave.pk, channel, name, territory))


PLAN_COLUMNS_BY_KEY = {c.key: c for c in PLAN_COLUMNS}
PLAN_UPDATED_FIELDS = ["quantity", "unit", "starts_on", "ends_on", "planned_cents"]
PLAN_UPDATED_FIELDS += ["committed_cents"]


def _plan_key(wave_id: int, channel: str, name: str, place: Territory | Placement) -> tuple:
    """Upsert key of a media-plan line: wave, channel, libellé (any case), territory."""
    if isinstance(place, Placement):
        ids = (place.region_id, place.department_id, place.commune_id)
    else:
        ids = tuple(
            obj.pk if obj else None for obj in (place.region, place.department, place.commune)
        )
    return (wave_id, channel, name.strip().casefold(), place.scope, *ids)


def media_plan_import(
    *,
    actor,
    campaign: Campaign,
    content: bytes,
    filename: str = "plan-media.csv",
    valid_lines_only: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Create or update placements from a media plan; the budget rule holds for the whole file."""
    require(actor, "change", campaign)
    table = read_table(content, filename, PLAN_COLUMNS)
    report = ImportReport(filename=filename, total_lines=len(table.rows), dry_run=dry_run)
    if table.ignored_columns:
        report.warnings.append(f"Colonnes ignorées : {', '.join(table.ignored_columns)}.")
    with transaction.atomic():
        campaign = lock_campaign(campaign)
        waves = {w.number: w for w in Wave.objects.filter(campaign=campaign)}
        by_name = {normalize_key(w.name): w for w in waves.values()}
        territories: dict[str, Territory | str] = {}
        lines: dict[tuple, _PlanLine] = {}
        for index, (line, values) in enumerate(table.rows):
            _tick(progress, index, report.total_lines)
            parsed = _parse_plan_line(
                line,
                values,
                campaign=campaign,
                waves=waves,
                by_name=by_name,
                territories=territories,
                report=report,
            )
            if parsed is None:
                continue
            if parsed.key in lines:
                report.error(line, f"même emplacement que la ligne {lines[parsed.key].line}")
                continue
            lines[parsed.key] = parsed
        report.valid_lines = len(lines)
        if report.errors and not valid_lines_only:
            return report
        existing = {
            _plan_key(p.wave_id, p.channel, p.name, p): p
            for p in Placement.objects.filter(campaign=campaign)
        }
        to_create, to_update = [], []
        committed_after = committed_total(campaign)
        for key, parsed in lines.items():
            placement = existing.get(key)
            committed_after += parsed.data.committed_cents
            if placement is None:
                to_create.append(parsed.data)
                continue
            committed_after -= placement.committed_cents
            changed = [
                f for f in PLAN_UPDATED_FIELDS if getattr(placement, f) != getattr(parsed.data, f)
            ]
            if changed:
                for field in PLAN_UPDATED_FIELDS:
                    setattr(placement, field, getattr(parsed.data, field))
                to_update.append(placement)
            else:
                report.unchanged += 1
        if committed_after > campaign.budget_cents:
            excess = over_budget_message(committed_after, campaign.budget_cents)
            report.refusal = f"Import refusé, rien n'a été enregistré : {excess}."
            return report
        report.created, report.updated = len(to_create), len(to_update)
        if dry_run:
            return report
        fields = [f.name for f in dataclasses.fields(PlacementData)]
        Placement.objects.bulk_create(
            Placement(campaign=campaign, **{f: getattr(d, f) for f in fields}) for d in to_create
        )
        now = timezone.now()
        for placement in to_update:
            placement.updated_at = now
        Placement.objects.bulk_update(to_update, [*PLAN_UPDATED_FIELDS, "updated_at"])
        report.imported = True
        _audit(actor, "campaign.media_plan_imported", campaign, report, content)
    return report


def _audit(actor, action, campaign, report, content) -> None:
    audit_log(
        actor=actor,
        action=action,
        target=campaign,
        organization=campaign.organization,
        data={
            "filename": report.filename,
            "checksum": file_checksum_bytes(content),
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped_lines": report.error_lines,
        },
    )


def file_checksum_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- media figures ---------------------------------------------------------------------------

FIGURE_COLUMNS = columns(
    ("placement", "emplacement", "placement|id emplacement|libelle|numero emplacement", True),
    ("starts_on", "début", "debut|date de debut|debut de periode|start", True),
    ("ends_on", "fin", "date de fin|fin de periode|end", True),
    ("metric", "indicateur", "metrique|metric|kpi", True),
    ("value", "valeur", "value|volume", True),
)
Metric = MediaFigure.Metric
METRIC_ALIASES = {
    normalize_key(alias): value
    for value, aliases in {
        Metric.IMPRESSIONS: "impressions|impression",
        Metric.CONTACTS: "contacts|contact|couverture",
        Metric.GRP: "grp|grps",
        Metric.VIDEO_VIEWS: "vues|vues video|vues de videos|video views|views",
        Metric.ENGAGEMENTS: "engagements|engagement",
        Metric.CLICKS: "clics|clic|clicks",
        Metric.FOLLOWERS: "abonnés|abonnes|abonnés gagnés|nouveaux abonnés|fans|followers",
        Metric.SPEND: "dépense|dépenses|depense|spend|coût|cout",
    }.items()
    for alias in aliases.split("|")
}


def _figure_value(metric: str, raw: object) -> int:
    """The value in thousandths of its unit (cents for spend), or FormatError."""
    if metric == Metric.SPEND:
        return parse_euros_to_cents(raw, maximum_euros=10**12) * 1000
    value = parse_decimal(raw)
    if value < 0:
        raise FormatError(f"valeur négative ({raw})")
    if value > MAX_FIGURE:
        raise FormatError(f"valeur absurde ({raw}) : plus de 1 000 milliards")
    if metric == Metric.GRP:
        if value > MAX_GRP:
            raise FormatError(f"GRP absurde ({raw}) : 10 000 au maximum")
        milli = value * 1000
        if milli != milli.to_integral_value():
            raise FormatError(f"GRP avec plus de trois décimales ({raw})")
        return int(milli)
    if value != value.to_integral_value():
        raise FormatError(f"valeur non entière ({raw}) pour un compte")
    return int(value) * 1000


class _Placements:
    """Resolves the "emplacement" cell: an id or an exact libellé of THIS campaign."""

    def __init__(self, campaign: Campaign):
        self.campaign = campaign
        self.by_id = {p.pk: p for p in Placement.objects.filter(campaign=campaign)}
        self.by_name: dict[str, list[Placement]] = {}
        for placement in self.by_id.values():
            self.by_name.setdefault(placement.name.casefold(), []).append(placement)

    def find(self, raw: object) -> Placement:
        text = str(raw).strip()
        if isinstance(raw, float) and raw.is_integer():
            text = str(int(raw))
        if not text:
            raise FormatError("emplacement manquant")
        if text.isdigit() and int(text) in self.by_id:
            return self.by_id[int(text)]
        matches = self.by_name.get(text.casefold(), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            numbers = ", ".join(str(p.pk) for p in matches)
            raise FormatError(
                f"plusieurs emplacements s'appellent « {text} » : indiquez leur numéro ({numbers})"
            )
        if text.isdigit() and Placement.objects.filter(pk=int(text)).exists():
            raise FormatError(f"l'emplacement n° {text} appartient à une autre campagne")
        if Placement.objects.filter(name__iexact=text).exclude(campaign=self.campaign).exists():
            raise FormatError(f"l'emplacement « {text} » appartient à une autre campagne")
        raise FormatError(f"emplacement inconnu dans cette campagne ({text})")


def media_figures_import(
    *,
    actor,
    campaign: Campaign,
    content: bytes,
    filename: str = "chiffres-media.csv",
    valid_lines_only: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Upsert what the media buyers report, by placement, period and metric."""
    require(actor, "change", campaign)
    table = read_table(content, filename, FIGURE_COLUMNS)
    report = ImportReport(filename=filename, total_lines=len(table.rows), dry_run=dry_run)
    if table.ignored_columns:
        report.warnings.append(f"Colonnes ignorées : {', '.join(table.ignored_columns)}.")
    with transaction.atomic():
        campaign = lock_campaign(campaign)  # one import of a campaign at a time
        placements = _Placements(campaign)
        lines: dict[tuple, tuple[int, int]] = {}  # key -> (line, value_milli)
        for index, (line, values) in enumerate(table.rows):
            _tick(progress, index, report.total_lines)
            key_value = _parse_figure_line(line, values, campaign, placements, report)
            if key_value is None:
                continue
            key, value = key_value
            if key in lines:
                report.error(
                    line, f"même emplacement, période et indicateur que la ligne {lines[key][0]}"
                )
                continue
            lines[key] = (line, value)
        report.valid_lines = len(lines)
        if report.errors and not valid_lines_only:
            return report
        existing = {
            (f.placement_id, f.period_start, f.period_end, f.metric): f
            for f in MediaFigure.objects.filter(placement_id__in={k[0] for k in lines})
        }
        to_create, to_update = [], []
        now = timezone.now()
        for key, (_, value) in lines.items():
            figure = existing.get(key)
            if figure is None:
                placement_id, start, end, metric = key
                to_create.append(
                    MediaFigure(
                        placement_id=placement_id,
                        period_start=start,
                        period_end=end,
                        metric=metric,
                        value_milli=value,
                        imported_at=now,
                    )
                )
            elif figure.value_milli != value:
                figure.value_milli, figure.imported_at = value, now
                to_update.append(figure)
            else:
                report.unchanged += 1
        report.created, report.updated = len(to_create), len(to_update)
        if dry_run:
            return report
        MediaFigure.objects.bulk_create(to_create, batch_size=2000)
        MediaFigure.objects.bulk_update(to_update, ["value_milli", "imported_at"], batch_size=2000)
        report.imported = True
        _audit(actor, "campaign.media_figures_imported", campaign, report, content)
    return report


def _parse_figure_line(line, values, campaign, placements, report):
    errors = []
    placement = start = end = metric = value = None
    try:
        placement = placements.find(values.get("placement", ""))
    except FormatError as error:
        errors.append(str(error))
    try:
        start = parse_date(values.get("starts_on", ""))
        end = parse_date(values.get("ends_on", ""))
    except FormatError as error:
        errors.append(str(error))
    else:
        if end < start:
            errors.append(f"fin ({format_date(end)}) avant le début ({format_date(start)})")
        elif start < campaign.starts_on or end > campaign.ends_on:
            errors.append(
                f"période hors de la campagne ({format_date(start)} – {format_date(end)})"
            )
    metric_raw = str(values.get("metric", ""))
    metric = METRIC_ALIASES.get(normalize_key(metric_raw))
    if metric is None:
        errors.append(
            f"indicateur inconnu ({metric_raw or 'vide'}) : impressions, contacts, grp, vues, "
            "engagements, clics, abonnés ou dépense"
        )
    else:
        try:
            value = _figure_value(metric, values.get("value", ""))
        except FormatError as error:
            errors.append(str(error))
    if errors:
        for message in errors:
            report.error(line, message)
        return None
    return (placement.pk, start, end, metric), value


__all__ = [
    "ImportFileError",
    "ImportReport",
    "LineError",
    "media_figures_import",
    "media_plan_import",
    "read_table",
]
