"""The interest quiz: transparent scoring, suggestions, and tampered answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.http import QueryDict

from vocations.api.tests.factories import make_event, make_organization
from vocations.careers.models import QualificationLevel, Sector, Trade
from vocations.web import quiz
from vocations.web.quiz import QUESTIONS, parse_answers, result_from_params, score

from .html import find_all

URL = "/quel-metier-est-fait-pour-toi/"
SECTORS_FILE = Path(quiz.__file__).parents[1] / "careers" / "data" / "sectors.json"


def params(query: str) -> QueryDict:
    return QueryDict(query)


def test_about_ten_questions_each_with_distinct_ids():
    assert len(QUESTIONS) == 10
    assert len({q.id for q in QUESTIONS}) == 10
    for question in QUESTIONS:
        assert len(question.answers) >= 3, question.id
        assert len({a.id for a in question.answers}) == len(question.answers)


def test_every_scored_sector_is_a_real_sector_of_the_reference_data():
    shipped = {s["slug"]: s["name"] for s in json.loads(SECTORS_FILE.read_text())["sectors"]}
    for slug, name in quiz.SECTORS.items():
        assert shipped.get(slug) == name, slug
    for question in QUESTIONS:
        for answer in question.answers:
            assert set(answer.points) <= set(quiz.SECTORS), (question.id, answer.id)
            assert all(p > 0 for p in answer.points.values())


def test_known_answers_give_a_known_ranking():
    # q1=a: +2 énergie +2 eau ; q4=a: +2 énergie ; q7=a: +1 énergie +2 eau +1 ferroviaire ;
    # q8=d: +2 eau +1 plasturgie.
    result = score({"q1": "a", "q4": "a", "q7": "a", "q8": "d"})

    assert result.scores == (
        ("eau-dechets-recyclage", 6),
        ("energie", 5),
        # 1 point each: plasturgie comes before ferroviaire in the campaign's list.
        ("plasturgie-composites", 1),
        ("ferroviaire", 1),
    )
    assert result.top_sectors == ["eau-dechets-recyclage", "energie", "plasturgie-composites"]
    assert result.answered == 4
    assert result.notes == ()


def test_ties_follow_the_campaign_order_of_sectors():
    # q4=c: +2 textile, +2 cosmétique: equal; textile comes first in SECTORS.
    result = score({"q4": "c"})

    assert result.scores == (("textile-habillement", 2), ("cosmetique", 2))


def test_each_choice_explains_its_points():
    result = score({"q2": "a"})

    (choice,) = result.choices
    assert choice.explanation() == [
        ("Métallurgie", 2),
        ("Mécanique et maintenance industrielle", 2),
    ]


def test_studies_question_gives_no_points_but_levels():
    result = score({"q10": "b"})

    assert result.scores == ()
    assert result.levels == (5, 6)


def test_order_of_parameters_does_not_matter():
    first = result_from_params(params("q1=a&q2=b&q3=c"))
    second = result_from_params(params("q3=c&q1=a&q2=b"))

    assert first.scores == second.scores
    assert [c.question.id for c in second.choices] == ["q1", "q2", "q3"]


@pytest.mark.parametrize(
    ("query", "expected_answers", "note_fragment"),
    [
        ("q1=a&q99=b", {"q1": "a"}, "questions inconnues (1)"),
        ("q1=z", {}, "n'existe pas"),
        ("q1=a&q1=b&q2=a", {"q2": "a"}, "Plusieurs réponses"),
        ("q1=" + "a" * 5000, {}, "n'existe pas"),
        ("q1=%00", {}, "n'existe pas"),
        ("<script>=1&q2=b", {"q2": "b"}, "questions inconnues"),
    ],
)
def test_tampered_answers_are_ignored_with_a_french_note(query, expected_answers, note_fragment):
    answers, notes = parse_answers(params(query))

    assert answers == expected_answers
    assert any(note_fragment in note for note in notes), notes


def test_blank_answers_and_tracking_parameters_are_silently_ignored():
    answers, notes = parse_answers(params("q1=&q2=a&utm_source=tv"))

    assert answers == {"q2": "a"}
    assert notes == []


def test_too_many_parameters_are_cut_with_a_note():
    query = "&".join(f"x{i}=1" for i in range(500)) + "&q1=a"
    answers, notes = parse_answers(params(query))

    assert answers == {}  # q1 came after the first 40 parameters
    assert notes[0].startswith("Trop de paramètres")


@pytest.mark.django_db
def test_quiz_page_lists_the_questions_as_accessible_radio_groups(client):
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert [h.text for h in find_all(html, "h1")] == ["Quel métier est fait pour toi ?"]
    assert len(find_all(html, "fieldset")) == 10
    radios = find_all(html, "input", type="radio")
    assert len(radios) == sum(len(q.answers) for q in QUESTIONS)
    labels = {label.attrs["for"] for label in find_all(html, "label")}
    assert {r.attrs["id"] for r in radios} <= labels
    form = find_all(html, "form", class_="quiz")[0]
    assert form.attrs["method"] == "get"
    assert "csrfmiddlewaretoken" not in html
    assert "Ton résultat" not in html


@pytest.fixture
def catalogue(db):
    """Two sectors with featured and ordinary trades, and levels."""
    energie = Sector.objects.create(slug="energie", name="Énergie et énergies renouvelables")
    eau = Sector.objects.create(slug="eau-dechets-recyclage", name="Eau, déchets et recyclage")
    other = Sector.objects.create(slug="cosmetique", name="Cosmétique")
    cap, bts = (
        QualificationLevel.objects.create(level=3, label="CAP"),
        QualificationLevel.objects.create(level=5, label="BTS"),
    )

    def trade(code, title, sector, featured, level):
        t = Trade.objects.create(
            rome_code=code, title=title, slug=code.lower(), is_featured=featured
        )
        t.sectors.add(sector)
        t.qualification_levels.add(level)
        return t

    return {
        "eau1": trade("K2304", "Agent / Agente de tri", eau, True, cap),
        "eau2": trade("K2305", "Technicien / Technicienne de l'eau", eau, True, bts),
        "eau3": trade("K2306", "Opérateur / Opératrice de recyclage", eau, False, cap),
        "en1": trade("F1605", "Monteur / Monteuse de réseaux électriques", energie, True, cap),
        "en2": trade("H1208", "Technicien / Technicienne en énergie", energie, True, bts),
        "en3": trade("H1209", "Agent / Agente de centrale", energie, False, cap),
        "cos": trade("H3301", "Conducteur / Conductrice de ligne cosmétique", other, True, cap),
    }


def test_suggestions_are_the_featured_trades_of_the_top_sectors(client, catalogue):
    response = client.get(URL + "?q1=a&q4=a&q7=a&q8=d&q10=b")

    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('class="quiz-result"')[1].split("</section>")[0]
    suggested = [li.text.split("(code ROME")[0].strip() for li in find_all(section, "li")]
    # Eau first (6 points), featured before the others, level 5 (BTS) preferred: then énergie.
    trades = [t for t in suggested if "/" in t]
    assert trades == [
        "Technicien / Technicienne de l'eau",
        "Agent / Agente de tri",
        "Opérateur / Opératrice de recyclage",
        "Technicien / Technicienne en énergie",
        "Monteur / Monteuse de réseaux électriques",
    ]
    assert "Conducteur / Conductrice de ligne cosmétique" not in section


def test_result_page_explains_the_score(client, catalogue):
    html = client.get(URL + "?q1=a&q4=a").content.decode()

    assert "Tu as répondu à 2 questions sur 10" in html
    lines = [" ".join(li.text.split()) for li in find_all(html, "li") if "Tu as choisi" in li.text]
    assert lines == [
        "Tu as choisi « Agir pour la planète et le climat » : "
        "+2 Énergie et énergies renouvelables, +2 Eau, déchets et recyclage.",
        "Tu as choisi « Une éolienne ou un panneau solaire » : "
        "+2 Énergie et énergies renouvelables.",
    ]
    rows = find_all(html.split('class="score-table"')[1], "th", scope="row")
    assert [r.text for r in rows] == [
        "Énergie et énergies renouvelables",
        "Eau, déchets et recyclage",
    ]
    tops = find_all(html.split('class="top-sectors"')[1].split("</ol>")[0], "li")
    assert [li.text for li in tops] == [
        "Énergie et énergies renouvelables",
        "Eau, déchets et recyclage",
    ]
    # The chosen answers stay checked, so the visitor can change one.
    checked = [i.attrs["id"] for i in find_all(html, "input", type="radio") if "checked" in i.attrs]
    assert checked == ["q1-a", "q4-a"]
    # Results are not indexed; the shareable link holds the cleaned answers.
    assert find_all(html, "meta", name="robots")[0].attrs["content"] == "noindex, follow"
    assert f'href="{URL}?q1=a&amp;q4=a"' in html


def test_result_suggests_upcoming_events_showing_those_trades(client, catalogue):
    org = make_organization()
    make_event(organization=org, title="Visite du centre de tri", trades=(catalogue["eau1"],))
    make_event(organization=org, title="Journée de la cosmétique", trades=(catalogue["cos"],))
    make_event(
        organization=org,
        title="Visite non labellisée",
        trades=(catalogue["eau1"],),
        label_state="submitted",
    )

    html = client.get(URL + "?q1=a").content.decode()

    section = html.split("Où les voir ?")[1].split("</ul>")[0]
    assert "Visite du centre de tri" in section
    assert "Journée de la cosmétique" not in section
    assert "Visite non labellisée" not in section


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "q1=zzz",
        "q1=a&q1=b",
        "q999999999999999999999=a",
        "q1=" + "%F0%9F%92%A5" * 300,
        "q1[]=a",
        "q1=a%00b",
        "%ff%fe=1",
    ],
)
def test_tampered_result_url_gives_a_normal_page_never_a_500(client, query):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "n'ont pas pu être lues" in html
    assert "Aucune réponse valide" in html


@pytest.mark.django_db
def test_tracking_parameters_alone_show_the_plain_quiz(client):
    html = client.get(URL + "?utm_source=tv&utm_campaign=vague1").content.decode()

    assert "Ton résultat" not in html
    assert "n'ont pas pu être lues" not in html
