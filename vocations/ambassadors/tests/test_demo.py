"""`make demo` shows a credible collective: members across départements and generations, the
three mobilisations, posts, personal links, visits and registrations attributed to them — and
the campaign report counts the same registrations."""

from __future__ import annotations

from django.core.management import call_command

from vocations.ambassadors.models import Ambassador, Mobilisation, Participation, Post
from vocations.ambassadors.selectors import collective_dashboard, member_dashboard
from vocations.analytics.models import Attribution
from vocations.analytics.reports import campaign_report
from vocations.campaigns.models import Campaign
from vocations.setup.tests.test_demo_data import small_map  # noqa: F401 - fixture


def test_demo_collective(small_map, settings, capsys):  # noqa: F811
    settings.DEBUG = True
    call_command("demo_data", "--seed", "2", "--scale", "small")
    out = capsys.readouterr().out
    assert "coordination@vocations.demo" in out and "membre@vocations.demo" in out
    members = Ambassador.objects.filter(status="active")
    assert members.count() == 50
    assert members.values("generation").distinct().count() == 5
    assert members.values("department").distinct().count() == 3  # all this small map has
    kinds = {("event" if m.event_id else "wave") for m in Mobilisation.objects.all()}
    assert kinds == {"event", "wave"} and Mobilisation.objects.count() >= 2
    assert Post.objects.count() > Participation.objects.count() > 10
    influence = Attribution.objects.filter(last_channel="influence")
    assert influence.exists()
    member = Ambassador.objects.get(user__email="membre@vocations.demo")
    assert member.user.check_password("vocations-demo")
    assert member_dashboard(member).total.visits > 0
    report = campaign_report(campaign=Campaign.objects.get())
    board = collective_dashboard(member.collective)
    assert report.collective.registrations == board.total.figures.registrations > 0

    call_command("demo_data", "--seed", "2", "--scale", "small")  # idempotent
    assert Ambassador.objects.count() == 50
