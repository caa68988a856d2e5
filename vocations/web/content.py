"""Editorial content of the home page, kept out of the template so tests can check it.

Figures come from the press article on the campaign launch by Opco 2i (17 February 2023) and
from the survey quoted by the collective Les Influstriels.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyFigure:
    value: str  # with the non-breaking spaces of French typography, so a figure never wraps
    label: str


@dataclass(frozen=True)
class Audience:
    code: str  # the shared audience vocabulary (docs/architecture.md, Audiences)
    title: str
    text: str


KEY_FIGURES = (
    KeyFigure("≈\u00a0300\u202f000", "projets de recrutement chaque année dans l'industrie"),
    KeyFigure("60\u00a0%", "de ces recrutements sont jugés difficiles"),
    KeyFigure("≈\u00a080\u202f000", "emplois aujourd'hui non pourvus"),
    KeyFigure("83\u00a0%", "des Français pensent que l'industrie est «\u00a0en déclin\u00a0»"),
)

AUDIENCES = (
    Audience(
        "young_people",
        "Jeunes",
        "Collège, lycée, études : découvrez des métiers qui ont du sens — transition "
        "énergétique, santé, aéronautique, alimentation — et inscrivez-vous en une minute "
        "à une visite ou à un salon près de chez vous.",
    ),
    Audience(
        "parents",
        "Parents",
        "Comprenez les métiers, les salaires et les perspectives de l'industrie, et trouvez "
        "une journée portes ouvertes où aller avec votre enfant.",
    ),
    Audience(
        "job_seekers",
        "Demandeurs d'emploi",
        "Repérez les forums de recrutement et les métiers qui embauchent près de chez vous, "
        "avec les besoins réels de votre bassin d'emploi.",
    ),
    Audience(
        "career_changers",
        "Reconversion",
        "Vous changez de voie ? L'industrie recrute à tous les niveaux de qualification et "
        "forme ses nouveaux talents : trouvez le métier et la formation qui vous conviennent.",
    ),
    Audience(
        "advisers",
        "Enseignants et prescripteurs",
        "Réservez une visite d'entreprise ou un salon pour toute une classe, en une seule "
        "inscription de groupe, sans nom d'élève.",
    ),
)

EVENT_KINDS = (
    "Salons de l'orientation",
    "Forums de recrutement",
    "Journées portes ouvertes",
    "Visites d'entreprise",
    "Ateliers",
    "Conférences",
)


def french_number(value: int) -> str:
    """1500 -> "1 500" with a narrow no-break space, so a figure never wraps."""
    return f"{value:,}".replace(",", "\u202f")
