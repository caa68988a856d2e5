"""French numbers and times in templates: one way of writing them across the site."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

from vocations.core.dates import french_datetime, french_number, french_time


def render(text: str, **context) -> str:
    return Template("{% load french %}" + text).render(Context(context))


def test_numbers_take_a_narrow_no_break_space():
    assert french_number(31424) == "31\u202f424"
    assert render("{{ n|nombre }}", n=1_234_567) == "1\u202f234\u202f567"
    assert render("{{ n|nombre }}", n=999) == "999"
    assert render("[{{ n|nombre }}]", n=None) == "[]"
    assert render("{{ n|nombre }}", n="beaucoup") == "beaucoup"


def test_times_are_written_9_h_and_14_h_30():
    assert french_time(dt.time(9, 0)) == "9 h"
    assert french_time(dt.time(14, 30)) == "14 h 30"
    assert french_time(dt.time(8, 5)) == "8 h 05"
    # An aware time is shown in Paris time: 08:00 UTC in December is 9 h.
    moment = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    assert render("{{ m|heure }}", m=moment) == "9 h"
    assert render("{{ m|date_heure }}", m=moment) == "mardi 1er décembre 2026 à 9 h"
    local = timezone.make_aware(dt.datetime(2027, 3, 16, 14, 30))
    assert french_datetime(timezone.localtime(local)) == "mardi 16 mars 2027 à 14 h 30"
    assert render("[{{ m|heure }}]", m="midi") == "[]"
