"""What each audience needs, the events that serve it and the action that follows.

Figures come from three published sources: the press article on the campaign launch by Opco 2i
(17 February 2023), the collective Les Influstriels' survey and the report on L'Usine
extraordinaire at the Grand Palais. No figure is invented:
salaries are spoken of as the collective does, without a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from vocations.core.audiences import Audience as AudienceCode


@dataclass(frozen=True)
class Figure:
    value: str
    label: str
    source: str


@dataclass(frozen=True)
class AudiencePage:
    slug: str  # French URL slug
    code: str  # the shared audience vocabulary
    title: str  # short name (menus, cards)
    heading: str  # the page's h1
    intro: str
    needs: tuple[tuple[str, str], ...]  # (what they need, how the site answers)
    figures: tuple[Figure, ...]
    event_kinds: tuple[str, ...]  # Event.Kind values, in the finder's link
    finder_audience: str = ""  # audience filter added to the finder's link, if any
    action_title: str = ""
    action_text: str = ""
    finder_label: str = ""
    # Qualification levels the trades shown should accept (empty: all levels).
    trade_levels: tuple[int, ...] = ()
    trades_intro: str = ""
    shows_local_need: bool = False
    shows_quiz: bool = False
    informal: bool = False  # "tu" rather than "vous", as the campaign speaks to the young

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(figure.source for figure in self.figures))


_OPCO = "Opco 2i, lancement de la campagne « Avec l'industrie »"
_USINE = "bilan de L'Usine extraordinaire, Grand Palais"
_INFLU = "sondage cité par le collectif Les Influstriels"

F_PROJECTS = Figure("≈\u00a0300\u202f000", "projets de recrutement par an dans l'industrie", _OPCO)
F_DIFFICULT = Figure("60\u00a0%", "de ces recrutements sont jugés difficiles", _OPCO)
F_UNFILLED = Figure("≈\u00a080\u202f000", "emplois aujourd'hui non pourvus", _OPCO)
F_DECLINE = Figure(
    "83\u00a0%", "des Français pensent que l'industrie est «\u00a0en déclin\u00a0»", _INFLU
)
F_PUPILS = Figure(
    "10\u202f300", "scolaires venus de 55 départements en 4 jours à L'Usine extraordinaire", _USINE
)
F_VISITORS = Figure("40\u202f500", "visiteurs à L'Usine extraordinaire, en 4 jours", _USINE)

PAGES: tuple[AudiencePage, ...] = (
    AudiencePage(
        slug="jeunes",
        code=AudienceCode.YOUNG_PEOPLE,
        title="Jeunes",
        heading="Jeunes : des métiers qui ont du sens",
        intro=(
            "Collège, lycée, études : l'industrie fabrique les éoliennes, les médicaments, les "
            "trains, les vêtements et les parfums de demain. Elle cherche des talents à tous les "
            "niveaux, du CAP au diplôme d'ingénieur."
        ),
        needs=(
            (
                "Découvrir des métiers concrets",
                "Énergie, santé, infrastructures, textile, cosmétique, aéronautique, "
                "alimentation : chaque fiche métier dit ce qu'on y fait et comment on y accède.",
            ),
            (
                "Voir l'industrie de ses propres yeux",
                "Salons de l'orientation, visites d'entreprise et journées portes ouvertes "
                "près de chez toi, gratuits pour la plupart.",
            ),
            (
                "S'inscrire vite, depuis son téléphone",
                "Une inscription se fait en une minute, sans créer de compte.",
            ),
        ),
        figures=(F_PROJECTS, F_PUPILS, F_DIFFICULT),
        event_kinds=("orientation_fair", "company_visit", "open_day", "workshop"),
        action_title="Trouve ton métier, puis va le voir",
        action_text=(
            "Réponds à dix questions pour découvrir les filières qui te ressemblent, puis "
            "inscris-toi à une visite ou à un salon près de chez toi."
        ),
        finder_label="Trouver un salon ou une visite près de chez moi",
        trades_intro="Quelques métiers que l'industrie recrute le plus :",
        shows_quiz=True,
        informal=True,
    ),
    AudiencePage(
        slug="parents",
        code=AudienceCode.PARENTS,
        title="Parents",
        heading="Parents : l'industrie, un avenir pour votre enfant",
        intro=(
            "83 % des Français pensent que l'industrie est en déclin ; pourtant elle recrute "
            "près de 300 000 personnes par an et offre, comme le rappelle le collectif Les "
            "Influstriels, des carrières et des salaires plus élevés que dans des secteurs qui "
            "font davantage rêver."
        ),
        needs=(
            (
                "Comprendre les métiers et les études qui y mènent",
                "Chaque fiche métier indique les niveaux de qualification accessibles, du CAP "
                "(niveau 3) au bac + 5 (niveau 7), et les filières qui recrutent.",
            ),
            (
                "Connaître les perspectives",
                "60 % des recrutements de l'industrie sont jugés difficiles : les jeunes "
                "formés y sont attendus, et les parcours permettent d'évoluer.",
            ),
            (
                "Y aller ensemble",
                "Les journées portes ouvertes des entreprises, des écoles et des centres de "
                "formation accueillent les familles.",
            ),
        ),
        figures=(F_PROJECTS, F_DIFFICULT, F_DECLINE),
        event_kinds=("open_day",),
        action_title="Trouvez une journée portes ouvertes",
        action_text=(
            "Cherchez une journée portes ouvertes près de chez vous et allez-y avec votre "
            "enfant : rien ne remplace une visite pour se faire une idée."
        ),
        finder_label="Trouver une journée portes ouvertes près de chez moi",
        trades_intro="Des métiers qui recrutent, avec les niveaux d'études qui y mènent :",
    ),
    AudiencePage(
        slug="demandeurs-d-emploi",
        code=AudienceCode.JOB_SEEKERS,
        title="Demandeurs d'emploi",
        heading="Demandeurs d'emploi : l'industrie recrute près de chez vous",
        intro=(
            "Près de 80 000 emplois de l'industrie sont aujourd'hui non pourvus, dans tous les "
            "territoires et à tous les niveaux de qualification."
        ),
        needs=(
            (
                "Rencontrer des employeurs",
                "Les forums de recrutement labellisés « Avec l'industrie » réunissent des "
                "entreprises qui embauchent, près de chez vous.",
            ),
            (
                "Savoir quels métiers embauchent ici",
                "Les besoins de recrutement de votre département, d'après l'enquête Besoins "
                "en main-d'œuvre (BMO) de France Travail.",
            ),
            (
                "Se former si besoin",
                "Beaucoup de métiers sont accessibles avec un CAP ou un bac pro, et les "
                "entreprises forment leurs nouveaux salariés.",
            ),
        ),
        figures=(F_UNFILLED, F_PROJECTS, F_DIFFICULT),
        event_kinds=("recruitment_forum",),
        action_title="Allez à un forum de recrutement",
        action_text="Cherchez les forums de recrutement près de chez vous et inscrivez-vous.",
        finder_label="Trouver un forum de recrutement près de chez moi",
        trade_levels=(3, 4),
        trades_intro="Des métiers accessibles avec un CAP ou un bac :",
        shows_local_need=True,
    ),
    AudiencePage(
        slug="reconversion",
        code=AudienceCode.CAREER_CHANGERS,
        title="Reconversion",
        heading="Reconversion : changer de voie avec l'industrie",
        intro=(
            "« Le problème est massif à tous les niveaux de qualifications, il n'y a pas "
            "d'exception » : l'industrie recrute et forme celles et ceux qui changent de métier."
        ),
        needs=(
            (
                "Trouver un métier qui a du sens",
                "Transition énergétique, santé, recyclage : des métiers utiles, qui "
                "s'apprennent à tout âge.",
            ),
            (
                "Se former",
                "Les centres de formation et les entreprises ouvrent leurs portes et présentent "
                "leurs parcours, souvent courts et rémunérés.",
            ),
            (
                "Mesurer le besoin local",
                "Les besoins de recrutement de votre département disent où vos efforts "
                "seront attendus.",
            ),
        ),
        figures=(F_PROJECTS, F_UNFILLED, F_DIFFICULT),
        event_kinds=("open_day", "recruitment_forum", "workshop", "conference"),
        action_title="Rencontrez ceux qui forment et ceux qui recrutent",
        action_text=(
            "Journées portes ouvertes des centres de formation, forums de recrutement, "
            "ateliers : trouvez celui qui vous convient près de chez vous."
        ),
        finder_label="Trouver un événement près de chez moi",
        trade_levels=(3, 4, 5),
        trades_intro="Des métiers accessibles par une formation courte :",
        shows_local_need=True,
        shows_quiz=True,
    ),
    AudiencePage(
        slug="enseignants-et-prescripteurs",
        code=AudienceCode.ADVISERS,
        title="Enseignants et prescripteurs",
        heading="Enseignants et prescripteurs : emmenez votre classe",
        intro=(
            "Professeurs, psychologues de l'Éducation nationale, conseillers en insertion et en "
            "emploi : faites découvrir l'industrie à celles et ceux que vous accompagnez."
        ),
        needs=(
            (
                "Réserver pour un groupe",
                "Une seule inscription de groupe pour toute une classe : le nombre d'élèves et "
                "d'accompagnateurs suffit, sans aucun nom d'élève.",
            ),
            (
                "Choisir une visite adaptée",
                "Visites d'entreprise et salons de l'orientation indiquent s'ils accueillent "
                "les groupes et jusqu'à combien de personnes.",
            ),
            (
                "Préparer la visite",
                "Les fiches métiers et le quiz « Quel métier est fait pour toi ? » se font en "
                "classe, avant ou après la visite.",
            ),
        ),
        figures=(F_PUPILS, F_VISITORS, F_PROJECTS),
        event_kinds=("company_visit", "orientation_fair"),
        action_title="Réservez une visite pour votre classe",
        action_text=(
            "Cherchez une visite d'entreprise ou un salon près de votre établissement, puis "
            "inscrivez votre groupe en une fois."
        ),
        finder_label="Trouver une visite d'entreprise pour ma classe",
        trades_intro="Des métiers à présenter en classe :",
        shows_quiz=True,
    ),
)
PAGES_BY_SLUG = {page.slug: page for page in PAGES}
PAGES_BY_CODE = {page.code: page for page in PAGES}
