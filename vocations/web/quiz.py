"""The interest quiz « Quel métier est fait pour toi ? »: questions and transparent scoring.

Each answer gives points to sectors (filières, by the slugs of
``vocations/careers/data/sectors.json``); the result page shows every point and where it came
from. One question (studies) gives no points: it only orders the suggested trades by the
qualification levels they accept. Nothing is stored: answers travel in the query string
(``?q1=b&q2=a…``), so a result is a plain, shareable, cacheable URL.

``parse_answers`` never fails: unknown questions or answers, repeated parameters and oversized
values are ignored and explained by French notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Sector slug -> name, in the order used to break ties (the campaign's own list first:
# energy transition, health, infrastructure, textile, cosmetics — Opco 2i's launch).
SECTORS: dict[str, str] = {
    "energie": "Énergie et énergies renouvelables",
    "sante-pharmacie": "Santé et pharmacie",
    "infrastructures": "Infrastructures",
    "textile-habillement": "Textile, habillement, cuir",
    "cosmetique": "Cosmétique",
    "aeronautique-spatial": "Aéronautique et spatial",
    "automobile-mobilites": "Automobile et mobilités",
    "agroalimentaire": "Agroalimentaire",
    "chimie": "Chimie",
    "metallurgie": "Métallurgie",
    "plasturgie-composites": "Plasturgie, caoutchouc et composites",
    "electronique": "Électronique et équipements électriques",
    "ferroviaire": "Ferroviaire",
    "naval": "Naval",
    "mecanique": "Mécanique et maintenance industrielle",
    "bois-ameublement": "Bois et ameublement",
    "eau-dechets-recyclage": "Eau, déchets et recyclage",
}
_TIE_ORDER = {slug: i for i, slug in enumerate(SECTORS)}

MAX_PARAMS = 40  # more parameters than this is not a person answering
MAX_VALUE_LENGTH = 10


@dataclass(frozen=True)
class Answer:
    id: str
    text: str
    points: dict[str, int] = field(default_factory=dict)
    # Qualification levels of the national framework (3 = CAP … 7 = Bac+5) this answer prefers.
    levels: tuple[int, ...] = ()


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[Answer, ...]

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)


def _q(qid: str, text: str, *answers: Answer) -> Question:
    return Question(qid, text, answers)


QUESTIONS: tuple[Question, ...] = (
    _q(
        "q1",
        "Qu'est-ce qui te donne envie de te lever le matin ?",
        Answer(
            "a", "Agir pour la planète et le climat", {"energie": 2, "eau-dechets-recyclage": 2}
        ),
        Answer("b", "Soigner et prendre soin des autres", {"sante-pharmacie": 2, "cosmetique": 1}),
        Answer(
            "c",
            "Faire voyager les gens et les choses",
            {"aeronautique-spatial": 2, "ferroviaire": 1},
        ),
        Answer("d", "Nourrir tout le monde", {"agroalimentaire": 2}),
    ),
    _q(
        "q2",
        "Avec quoi préfères-tu travailler ?",
        Answer("a", "Le métal et les machines", {"metallurgie": 2, "mecanique": 2}),
        Answer("b", "Les circuits, l'électricité, le numérique", {"electronique": 2, "energie": 1}),
        Answer(
            "c",
            "Les matières : tissu, bois, plastique",
            {"textile-habillement": 1, "bois-ameublement": 1, "plasturgie-composites": 1},
        ),
        Answer("d", "Les molécules et les produits", {"chimie": 2, "cosmetique": 1}),
    ),
    _q(
        "q3",
        "Où te sens-tu le mieux ?",
        Answer("a", "En plein air, sur un chantier", {"infrastructures": 2, "energie": 1}),
        Answer(
            "b",
            "En atelier, avec mes mains",
            {"mecanique": 1, "metallurgie": 1, "bois-ameublement": 1},
        ),
        Answer("c", "En laboratoire", {"chimie": 1, "sante-pharmacie": 2}),
        Answer(
            "d",
            "Au bureau d'études, devant des plans",
            {"aeronautique-spatial": 1, "automobile-mobilites": 1, "electronique": 1},
        ),
    ),
    _q(
        "q4",
        "Quel objet aimerais-tu avoir fabriqué ?",
        Answer("a", "Une éolienne ou un panneau solaire", {"energie": 2}),
        Answer("b", "Un avion, un satellite", {"aeronautique-spatial": 2}),
        Answer("c", "Un vêtement ou un parfum", {"textile-habillement": 2, "cosmetique": 2}),
        Answer("d", "Un médicament ou un vaccin", {"sante-pharmacie": 2}),
    ),
    _q(
        "q5",
        "Dans une équipe, tu es plutôt celle ou celui qui…",
        Answer("a", "répare quand ça tombe en panne", {"mecanique": 2, "electronique": 1}),
        Answer(
            "b",
            "vérifie que tout est parfait",
            {"sante-pharmacie": 1, "agroalimentaire": 1, "chimie": 1},
        ),
        Answer(
            "c",
            "imagine une nouvelle solution",
            {"automobile-mobilites": 1, "aeronautique-spatial": 1, "plasturgie-composites": 1},
        ),
        Answer("d", "organise et fait avancer", {"infrastructures": 1, "agroalimentaire": 1}),
    ),
    _q(
        "q6",
        "Quelle matière te plaît le plus ?",
        Answer("a", "Physique-chimie", {"chimie": 2, "energie": 1}),
        Answer(
            "b", "SVT", {"sante-pharmacie": 1, "agroalimentaire": 1, "eau-dechets-recyclage": 1}
        ),
        Answer("c", "Technologie", {"mecanique": 1, "electronique": 1, "metallurgie": 1}),
        Answer(
            "d",
            "Arts plastiques",
            {"textile-habillement": 1, "bois-ameublement": 1, "cosmetique": 1},
        ),
    ),
    _q(
        "q7",
        "Ce qui compte pour toi dans un futur métier :",
        Answer(
            "a",
            "Qu'il serve la transition écologique",
            {"energie": 1, "eau-dechets-recyclage": 2, "ferroviaire": 1},
        ),
        Answer("b", "La haute technologie", {"aeronautique-spatial": 1, "electronique": 2}),
        Answer(
            "c",
            "Le savoir-faire et le beau geste",
            {"textile-habillement": 1, "metallurgie": 1, "bois-ameublement": 1},
        ),
        Answer(
            "d",
            "Être utile au quotidien",
            {"agroalimentaire": 1, "sante-pharmacie": 1, "infrastructures": 1},
        ),
    ),
    _q(
        "q8",
        "Quel grand projet te fait rêver ?",
        Answer(
            "a",
            "Construire un pont ou une ligne de tramway",
            {"infrastructures": 2, "ferroviaire": 2},
        ),
        Answer("b", "Lancer une voiture électrique", {"automobile-mobilites": 2, "energie": 1}),
        Answer("c", "Construire un navire", {"naval": 2, "metallurgie": 1}),
        Answer(
            "d", "Recycler ce qu'on jette", {"eau-dechets-recyclage": 2, "plasturgie-composites": 1}
        ),
    ),
    _q(
        "q9",
        "Plutôt…",
        Answer(
            "a",
            "Produire en grande série, vite et bien",
            {"automobile-mobilites": 1, "agroalimentaire": 1, "plasturgie-composites": 1},
        ),
        Answer(
            "b",
            "Réaliser des pièces uniques",
            {"aeronautique-spatial": 1, "naval": 1, "bois-ameublement": 1},
        ),
        Answer(
            "c",
            "Piloter des machines automatisées",
            {"mecanique": 1, "electronique": 1, "chimie": 1},
        ),
        Answer(
            "d",
            "Contrôler la qualité et la sécurité",
            {"sante-pharmacie": 1, "energie": 1, "cosmetique": 1},
        ),
    ),
    _q(
        "q10",
        "Combien d'années d'études veux-tu faire après le collège ?",
        Answer("a", "2 à 3 ans (CAP, bac pro)", levels=(3, 4)),
        Answer("b", "Jusqu'à bac + 2 ou bac + 3 (BTS, BUT)", levels=(5, 6)),
        Answer("c", "Bac + 5 (école d'ingénieurs, master)", levels=(7,)),
        Answer("d", "Je ne sais pas encore"),
    ),
)
QUESTIONS_BY_ID = {q.id: q for q in QUESTIONS}


@dataclass(frozen=True)
class Choice:
    question: Question
    answer: Answer

    def explanation(self) -> list[tuple[str, int]]:
        """(sector name, points) pairs, in the answer's order."""
        return [(SECTORS[slug], points) for slug, points in self.answer.points.items()]


@dataclass(frozen=True)
class QuizResult:
    choices: tuple[Choice, ...]
    scores: tuple[tuple[str, int], ...]  # (sector slug, points), best first, only points > 0
    levels: tuple[int, ...]
    notes: tuple[str, ...]

    @property
    def answered(self) -> int:
        return len(self.choices)

    @property
    def top_sectors(self) -> list[str]:
        """The three best sectors (fewer if fewer scored)."""
        return [slug for slug, _ in self.scores[:3]]

    def named_scores(self) -> list[tuple[str, str, int]]:
        return [(slug, SECTORS[slug], points) for slug, points in self.scores]


def parse_answers(params: Mapping) -> tuple[dict[str, str], list[str]]:
    """Valid answers {question id: answer id} and the French notes on what was ignored."""
    answers: dict[str, str] = {}
    notes: list[str] = []
    keys = list(params.keys())
    if len(keys) > MAX_PARAMS:
        notes.append("Trop de paramètres dans l'adresse : seuls les premiers ont été lus.")
        keys = keys[:MAX_PARAMS]
    unknown_questions = 0
    for key in keys:
        if key.startswith("utm_"):  # campaign tracking, not an answer
            continue
        question = QUESTIONS_BY_ID.get(key)
        if question is None:
            unknown_questions += 1
            continue
        values = params.getlist(key) if hasattr(params, "getlist") else [params[key]]
        if len(values) != 1:
            notes.append(
                f"Plusieurs réponses ont été données à la question « {question.text} » : "
                "elle a été ignorée."
            )
            continue
        value = str(values[0])
        if value == "":
            continue  # the question was left blank
        if len(value) > MAX_VALUE_LENGTH or question.answer(value) is None:
            notes.append(
                f"La réponse donnée à la question « {question.text} » n'existe pas : "
                "elle a été ignorée."
            )
            continue
        answers[question.id] = value
    if unknown_questions:
        notes.append(
            "L'adresse contenait des questions inconnues"
            f" ({unknown_questions}) : elles ont été ignorées."
        )
    return answers, notes


def score(answers: Mapping[str, str], notes: list[str] | tuple[str, ...] = ()) -> QuizResult:
    """Add the points of each valid answer; ties are broken by the order of ``SECTORS``."""
    choices: list[Choice] = []
    totals: dict[str, int] = {}
    levels: list[int] = []
    for question in QUESTIONS:  # the questions' order, whatever the query string's order
        answer = question.answer(answers.get(question.id, ""))
        if answer is None:
            continue
        choices.append(Choice(question, answer))
        for slug, points in answer.points.items():
            totals[slug] = totals.get(slug, 0) + points
        levels.extend(level for level in answer.levels if level not in levels)
    ranked = sorted(
        ((slug, points) for slug, points in totals.items() if points > 0),
        key=lambda item: (-item[1], _TIE_ORDER[item[0]]),
    )
    return QuizResult(tuple(choices), tuple(ranked), tuple(levels), tuple(notes))


def result_from_params(params: Mapping) -> QuizResult:
    answers, notes = parse_answers(params)
    return score(answers, notes)
