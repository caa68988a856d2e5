"""Media-plan and media-figures imports: encodings, columns, line errors, idempotence."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from vocations.campaigns.models import MediaFigure, Placement
from vocations.campaigns.services.imports import media_figures_import, media_plan_import
from vocations.core.exceptions import ImportFileError

from .conftest import EUR

pytestmark = pytest.mark.django_db

PLAN_HEADER = (
    "Vague;Canal;Libellé;Territoire;Quantité;Unité;Début;Fin;Coût prévu (€);Coût engagé (€)"
)
PLAN = f"""{PLAN_HEADER}
1;TV;Spot TV national;national;120;spots;01/03/2026;21/03/2026;1 300 000;1 250 000,50
1;Cinéma;Cinéma 500 salles;national;500;écrans;2026-03-01;2026-03-21;420 000;420 000
1;Affichage;Affichage Lyon;69123;200;panneaux;01/03/2026;14/03/2026;85 000;80 000
2;Réseaux sociaux;Social Rhône;département 69;60;publications;01/10/2026;21/10/2026;23 000;0
2;presse;Presse ARA;région 84;10;annonces;01/10/2026;21/10/2026;9 000;9 000
"""


def plan_import(users, campaign, content, **kwargs):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return media_plan_import(actor=users["staff"], campaign=campaign, content=content, **kwargs)


def snapshot():
    return sorted(
        Placement.objects.values_list(
            "wave__number", "channel", "name", "scope", "commune__insee_code",
            "department__code", "region__code", "quantity", "planned_cents", "committed_cents",
        )
    )  # fmt: skip


def test_good_plan_is_imported(users, campaign, waves, geo):
    report = plan_import(users, campaign, PLAN)
    assert report.imported and not report.errors
    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    tv = Placement.objects.get(channel="tv")
    assert tv.committed_cents == 125_000_050 and tv.planned_cents == 1_300_000 * EUR
    assert tv.wave.number == 1 and tv.quantity == 120 and tv.unit == "spots"
    lyon = Placement.objects.get(channel="billboard")
    assert lyon.scope == "commune" and lyon.commune == geo["lyon"]
    assert Placement.objects.get(channel="social").department == geo["rhone"]
    assert Placement.objects.get(channel="press").region == geo["ara"]


def test_reimporting_the_same_plan_changes_nothing(users, campaign, waves, geo):
    plan_import(users, campaign, PLAN)
    before = snapshot()
    report = plan_import(users, campaign, PLAN)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert snapshot() == before


def test_changed_line_updates_its_placement(users, campaign, waves, geo):
    plan_import(users, campaign, PLAN)
    report = plan_import(
        users, campaign, PLAN.replace("1 300 000;1 250 000,50", "1 400 000;1 250 000,50")
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert Placement.objects.get(channel="tv").planned_cents == 1_400_000 * EUR
    assert Placement.objects.count() == 5


def test_windows_1252_and_bom_files_are_read(users, campaign, waves, geo):
    report = plan_import(users, campaign, PLAN.encode("cp1252"))
    assert report.imported and Placement.objects.filter(name="Cinéma 500 salles").exists()
    again = plan_import(users, campaign, b"\xef\xbb\xbf" + PLAN.encode("utf-8"))
    assert again.unchanged == 5


def test_comma_delimited_file_is_read(users, campaign, waves, geo):
    content = (
        "vague,canal,libelle,territoire,debut,fin,cout prevu,cout engage\n"
        '1,tv,Spot,national,01/03/2026,21/03/2026,"1 000,50",1000\n'
    )
    report = plan_import(users, campaign, content)
    assert report.imported
    assert Placement.objects.get().planned_cents == 100_050


def test_xlsx_plan_is_read(users, campaign, waves, geo):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(PLAN_HEADER.split(";"))
    sheet.append(
        [
            1,
            "TV",
            "Spot",
            "national",
            10,
            "spots",
            dt.datetime(2026, 3, 1),
            dt.date(2026, 3, 21),
            1000.5,
            900,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = plan_import(users, campaign, buffer.getvalue(), filename="plan.xlsx")
    assert report.imported
    placement = Placement.objects.get()
    assert placement.planned_cents == 100_050 and placement.starts_on == dt.date(2026, 3, 1)


def test_wrong_columns_name_the_missing_ones(users, campaign, waves):
    with pytest.raises(ImportFileError) as caught:
        plan_import(users, campaign, "vague;canal;nom;debut\n1;tv;x;01/03/2026\n")
    message = str(caught.value)
    assert message.startswith("Colonnes manquantes : territoire, fin, coût prévu, coût engagé.")
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"\xd0\xcf\x11\xe0rest", "Ancien format Excel"),
        (b"\x81\x8d\x8f\x90\x9d;;\n", "Encodage non reconnu"),
        (b"PK\x03\x04broken", "Classeur .xlsx illisible"),
        (PLAN_HEADER.encode(), "aucune ligne de données"),
    ],
)
def test_unreadable_files_get_french_errors(users, campaign, waves, content, message):
    with pytest.raises(ImportFileError, match=message):
        plan_import(users, campaign, content)


BAD_PLAN = f"""{PLAN_HEADER}
1;TV;Spot TV national;national;120;spots;01/03/2026;21/03/2026;1 300 000;1 250 000
1;Radio;Radio;national;1;;01/03/2026;21/03/2026;10;10
9;TV;Vague fantôme;national;1;;01/03/2026;21/03/2026;10;10
1;TV;Montant négatif;national;1;;01/03/2026;21/03/2026;-12;0
1;TV;Date;national;1;;31/02/2026;21/03/2026;10;10
1;TV;Ambigu;84;1;;01/03/2026;21/03/2026;10;10
1;TV;Hors campagne;national;1;;01/03/2025;21/03/2026;10;10
1;TV;Spot TV national;national;1;;01/03/2026;21/03/2026;10;10
1;TV;Quantité;national;-3;;01/03/2026;21/03/2026;10;10
"""


def test_bad_lines_are_reported_in_french_with_line_numbers(users, campaign, waves, geo):
    report = plan_import(users, campaign, BAD_PLAN)
    assert not report.imported and not Placement.objects.exists()
    messages = report.messages
    assert "Ligne 3 : canal inconnu (Radio)" in messages
    assert "Ligne 4 : vague : vague 9 inconnue dans cette campagne" in messages
    assert "Ligne 5 : coût prévu : montant négatif (-12)" in messages
    assert "Ligne 6 : début : date impossible (31/02/2026)" in messages
    assert any(m.startswith("Ligne 7 : code 84 ambigu") for m in messages)
    assert any(m.startswith("Ligne 8 : dates : Les dates sortent de la campagne") for m in messages)
    assert "Ligne 9 : même emplacement que la ligne 2" in messages
    assert "Ligne 10 : quantité : quantité négative (-3)" in messages
    assert report.valid_lines == 1 and report.error_lines == 8


def test_valid_lines_only_imports_the_good_lines(users, campaign, waves, geo):
    report = plan_import(users, campaign, BAD_PLAN, valid_lines_only=True)
    assert report.imported and report.created == 1 and len(report.errors) == 8
    assert list(Placement.objects.values_list("name", flat=True)) == ["Spot TV national"]


def test_plan_over_budget_is_refused_whole(users, campaign, waves, geo):
    content = PLAN.replace("1 300 000;1 250 000,50", "15 000 000;14 600 000")
    report = plan_import(users, campaign, content)
    assert not report.imported and not Placement.objects.exists()
    assert report.refusal.replace("\u00a0", " ") == (
        "Import refusé, rien n'a été enregistré : Engagé 15 109 000 € > budget "
        "15 000 000 € : dépassement de 109 000 €."
    )


def test_dry_run_writes_nothing(users, campaign, waves, geo):
    report = plan_import(users, campaign, PLAN, dry_run=True)
    assert report.created == 5 and not report.imported and not Placement.objects.exists()


# --- media figures ---------------------------------------------------------------------------


@pytest.fixture
def plan(users, campaign, waves, geo):
    plan_import(users, campaign, PLAN)
    return {p.channel: p for p in Placement.objects.all()}


def figures_import(users, campaign, content, **kwargs):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return media_figures_import(actor=users["staff"], campaign=campaign, content=content, **kwargs)


def figures_text(plan) -> str:
    return f"""emplacement;début;fin;indicateur;valeur
{plan["tv"].pk};01/03/2026;07/03/2026;GRP;85,5
{plan["tv"].pk};01/03/2026;07/03/2026;contacts;12 000 000
Cinéma 500 salles;01/03/2026;07/03/2026;Vues;450000
Affichage Lyon;01/03/2026;07/03/2026;dépense;40 000,25
Affichage Lyon;08/03/2026;14/03/2026;clics;1 234
"""


def figures_snapshot():
    return sorted(
        MediaFigure.objects.values_list(
            "placement_id", "period_start", "period_end", "metric", "value_milli", "imported_at"
        )
    )


def test_figures_are_imported_and_reimport_changes_nothing(users, campaign, plan):
    report = figures_import(users, campaign, figures_text(plan))
    assert report.imported and report.created == 5 and not report.errors
    grp = MediaFigure.objects.get(metric="grp")
    assert grp.value_milli == 85_500 and grp.placement == plan["tv"]
    assert MediaFigure.objects.get(metric="spend_cents").value_milli == 4_000_025 * 1000
    assert MediaFigure.objects.get(metric="video_views").placement == plan["cinema"]
    before = figures_snapshot()
    again = figures_import(users, campaign, figures_text(plan).encode("cp1252"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert figures_snapshot() == before
    assert MediaFigure.objects.count() == 5


def test_changed_figure_is_updated_not_duplicated(users, campaign, plan):
    figures_import(users, campaign, figures_text(plan))
    report = figures_import(users, campaign, figures_text(plan).replace("85,5", "90"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert MediaFigure.objects.get(metric="grp").value_milli == 90_000


def test_bad_figures_are_line_errors(users, campaign, plan, other_campaign, add_placement):
    from vocations.campaigns.services import PlacementData, placement_create

    other_wave = other_campaign.waves.get()
    foreign = placement_create(
        actor=users["staff"],
        campaign=other_campaign,
        data=PlacementData(
            wave=other_wave, channel="tv", name="Spot de l'autre", scope="national",
            starts_on=other_wave.starts_on, ends_on=other_wave.ends_on,
        ),
    )  # fmt: skip
    tv = plan["tv"].pk
    content = f"""Emplacement;Début;Fin;Indicateur;Valeur
{tv};01/03/2026;07/03/2026;impressions;-5
{tv};01/03/2026;07/03/2026;grp;12 000
{tv};01/03/2026;07/03/2026;contacts;2 000 000 000 000
{tv};01/03/2026;07/03/2026;clics;12,5
{foreign.pk};01/03/2026;07/03/2026;clics;10
Spot de l'autre;01/03/2026;07/03/2026;clics;10
Inconnu;01/03/2026;07/03/2026;clics;10
{tv};07/03/2026;01/03/2026;clics;10
{tv};01/03/2026;07/03/2026;likes;10
{tv};01/03/2026;07/03/2026;engagements;10
"""
    report = figures_import(users, campaign, content)
    assert not report.imported and not MediaFigure.objects.exists()
    assert report.messages == [
        "Ligne 2 : valeur négative (-5)",
        "Ligne 3 : GRP absurde (12 000) : 10 000 au maximum",
        "Ligne 4 : valeur absurde (2 000 000 000 000) : plus de 1 000 milliards",
        "Ligne 5 : valeur non entière (12,5) pour un compte",
        f"Ligne 6 : l'emplacement n° {foreign.pk} appartient à une autre campagne",
        "Ligne 7 : l'emplacement « Spot de l'autre » appartient à une autre campagne",
        "Ligne 8 : emplacement inconnu dans cette campagne (Inconnu)",
        "Ligne 9 : fin (01/03/2026) avant le début (07/03/2026)",
        "Ligne 10 : indicateur inconnu (likes) : impressions, contacts, grp, vues, engagements, "
        "clics, abonnés ou dépense",
    ]
    partial = figures_import(users, campaign, content, valid_lines_only=True)
    assert partial.imported and partial.created == 1
    assert list(MediaFigure.objects.values_list("metric", flat=True)) == ["engagements"]


def test_figures_file_without_metric_column_is_refused(users, campaign, plan):
    with pytest.raises(ImportFileError, match="Colonnes manquantes : indicateur"):
        figures_import(users, campaign, "emplacement;début;fin;valeur\n1;01/03/2026;07/03/2026;3\n")


def test_ambiguous_placement_name_asks_for_the_number(users, campaign, plan, waves):
    from vocations.campaigns.services import PlacementData, placement_create

    placement_create(
        actor=users["staff"],
        campaign=campaign,
        data=PlacementData(
            wave=waves[1], channel="tv", name="Spot TV national", scope="national",
            starts_on=waves[1].starts_on, ends_on=waves[1].ends_on,
        ),
    )  # fmt: skip
    report = figures_import(
        users,
        campaign,
        "emplacement;début;fin;indicateur;valeur\nSpot TV national;01/03/2026;07/03/2026;grp;5\n",
    )
    assert "plusieurs emplacements s'appellent « Spot TV national »" in report.messages[0]
