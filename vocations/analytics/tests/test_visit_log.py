"""Tracked-link visits answered by nginx: the exported files and the log ingestion.

The nginx end to end test (real nginx with njs) is test_nginx_links.py."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from vocations.analytics import nginx_links
from vocations.analytics.models import Visit, VisitHourly, VisitLogOffset
from vocations.analytics.privacy import new_visit_key
from vocations.analytics.services import visit_log
from vocations.analytics.services.flusher import flush

from .support import TEST_IP

pytestmark = pytest.mark.django_db


def line(link, *, key=None, bot="0", source="qr", ms=None, path="/evenements/x/", vhash=None):
    placement = link.placement
    ms = ms if ms is not None else int(timezone.now().timestamp() * 1000)
    fields = [
        "v1", key or new_visit_key(), str(ms), str(link.pk), str(placement.pk),
        str(placement.wave_id), str(link.campaign_id), placement.channel, source, "mobile", bot,
        "social", vhash or "0123456789abcdef", path,
    ]  # fmt: skip
    return "\t".join(fields) + "\n"


@pytest.fixture
def log_dir(tmp_path, settings):
    settings.ANALYTICS_NGINX_DIR = str(tmp_path)
    directory = tmp_path / "log"
    directory.mkdir()
    return directory


def test_ingestion_is_idempotent_and_reads_each_line_once(world, log_dir):
    log = log_dir / "visits.log"
    keys = [new_visit_key() for _ in range(5)]
    log.write_text("".join(line(world.billboard_link, key=k) for k in keys))
    assert visit_log.ingest()["stored"] == 5
    assert visit_log.ingest()["stored"] == 0  # the offset moved past them
    with log.open("a") as handle:
        handle.write(line(world.tv_link, source="click"))
        handle.write(line(world.tv_link)[:20])  # a line still being written
    assert visit_log.ingest()["stored"] == 1
    # Even with the offset lost, re-reading everything stores and counts nothing twice.
    VisitLogOffset.objects.all().delete()
    assert visit_log.ingest()["stored"] == 0
    assert Visit.objects.count() == 6
    assert sum(VisitHourly.objects.values_list("visits", flat=True)) == 6
    visit = Visit.objects.get(visit_key=keys[0])
    assert (visit.link_id, visit.placement_id, visit.wave_id, visit.campaign_id) == (
        world.billboard_link.pk,
        world.billboard.pk,
        world.wave1.pk,
        world.campaign.pk,
    )
    assert (visit.channel, visit.source, visit.device, visit.referrer) == (
        "billboard",
        "qr",
        "mobile",
        "social",
    )
    assert visit.landing_path == "/evenements/x/"


def test_bots_are_stored_flagged_and_left_out_of_the_roll_ups(world, log_dir):
    (log_dir / "visits.log").write_text(
        line(world.billboard_link, bot="1") + line(world.billboard_link, bot="0")
    )
    flush()
    assert sorted(Visit.objects.values_list("is_bot", flat=True)) == [False, True]
    assert sum(VisitHourly.objects.values_list("visits", flat=True)) == 1


@pytest.mark.parametrize(
    "bad",
    [
        "v2\tsomething\n",
        "v1\tshort-key\t1\t2\t\t\t\tbillboard\tqr\tmobile\t0\tnone\t0123456789abcdef\t/\n",
        "garbage without tabs\n",
    ],
)
def test_malformed_lines_are_skipped_not_guessed(world, log_dir, bad):
    (log_dir / "visits.log").write_text(bad + line(world.billboard_link))
    stats = visit_log.ingest()
    assert (stats["stored"], stats["skipped"]) == (1, 1)
    assert Visit.objects.count() == 1


def test_a_full_log_is_renamed_then_deleted_once_read_and_settled(world, log_dir, settings):
    settings.ANALYTICS_NGINX_RELOAD = "true"  # nginx told to reopen its logs: it succeeds
    log = log_dir / "visits.log"
    log.write_text("".join(line(world.billboard_link) for _ in range(3)))
    visit_log.ingest(rotate_bytes=10)
    rotated = list(log_dir.glob("visits.log.*"))
    assert len(rotated) == 1 and not log.exists()
    # A write that had opened the old file before the rename lands there; the next visit
    # starts a new file.
    with rotated[0].open("a") as handle:
        handle.write(line(world.tv_link))
    log.write_text(line(world.social_link))
    assert visit_log.ingest(rotate_bytes=10**9)["stored"] == 2
    assert rotated[0].exists()  # kept one more round: a write may still be landing
    visit_log.ingest(rotate_bytes=10**9)
    assert not rotated[0].exists()
    assert Visit.objects.count() == 5
    assert VisitLogOffset.objects.count() == 1  # only the live file's


@pytest.mark.parametrize("command", ["", "false"])
def test_a_full_log_keeps_its_name_when_nginx_cannot_be_told_to_reopen_it(
    world, log_dir, settings, command
):
    # nginx keeps its log open: renamed without a reopen, its next lines would go to a file
    # about to be deleted.
    settings.ANALYTICS_NGINX_RELOAD = command
    log = log_dir / "visits.log"
    log.write_text("".join(line(world.billboard_link) for _ in range(3)))
    assert visit_log.ingest(rotate_bytes=10)["stored"] == 3
    assert log.exists() and list(log_dir.glob("visits.log.*")) == []


def nginx_line(link, *, key, seconds="1796112333.606", source="qr", bot="0", vhash=None):
    """A line as nginx's access log writes it (deploy/nginx/tracked-links-http.conf, v2)."""
    placement = link.placement
    entry = "|".join(
        [str(link.pk), str(placement.pk), str(placement.wave_id), str(link.campaign_id),
         placement.channel, "/evenements/x/?a=%C3%A9&"]
    )  # fmt: skip
    fields = [
        "v2",
        key,
        seconds,
        entry,
        source,
        "tablet",
        bot,
        vhash or "0123456789abcdef",
        "search",
    ]
    return "\t".join(fields) + "\n"


def test_nginx_access_log_lines_are_read_as_the_same_visit(world, log_dir):
    keys = ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"]
    (log_dir / "visits.log").write_text(
        nginx_line(world.billboard_link, key=keys[0])
        + nginx_line(world.tv_link, key=keys[1], source="click", bot="1", seconds="1796112333.6")
        + nginx_line(world.tv_link, key="not-a-key", source="click")
        + nginx_line(world.tv_link, key=keys[0].upper(), source="click")
    )
    stats = visit_log.ingest()
    assert (stats["stored"], stats["skipped"]) == (2, 2)
    visit = Visit.objects.get(visit_key=keys[0])
    assert visit.at.timestamp() == 1796112333.606
    assert (visit.link_id, visit.placement_id, visit.wave_id, visit.campaign_id) == (
        world.billboard_link.pk,
        world.billboard.pk,
        world.wave1.pk,
        world.campaign.pk,
    )
    assert (visit.channel, visit.source, visit.device, visit.referrer, visit.is_bot) == (
        "billboard",
        "qr",
        "tablet",
        "search",
        False,
    )
    assert visit.landing_path == "/evenements/x/"
    bot = Visit.objects.get(visit_key=keys[1])
    assert (bot.source, bot.is_bot, bot.at.timestamp()) == ("click", True, 1796112333.6)


def test_nothing_personal_reaches_the_visit_table(world, log_dir):
    (log_dir / "visits.log").write_text(line(world.billboard_link))
    visit_log.ingest()
    row = Visit.objects.values().get()
    flat = json.dumps(row, default=str)
    assert TEST_IP not in flat and "Mozilla" not in flat
    assert not {"ip", "user_agent", "remote_addr"} & set(row)


def test_export_writes_active_links_with_the_views_redirect_and_three_salts(world, tmp_path):
    world.social_link.is_active = False
    world.social_link.save()
    world.tv_link.landing_path = "/metiers/?tri=a&v=old"
    world.tv_link.save()
    nginx_links.export(directory=tmp_path)
    mapping = (tmp_path / "links.map").read_text()
    assert world.social_link.code not in mapping  # inactive: Django answers its French 404
    assert (
        f'{world.billboard_link.code} "{world.billboard_link.pk}|{world.billboard.pk}|'
        f'{world.wave1.pk}|{world.campaign.pk}|billboard|/evenements/{world.event.slug}/?";'
    ) in mapping
    assert '|tv|/metiers/?tri=a&";' in mapping  # the old visit key dropped, as the view does
    script = (tmp_path / "visits.js").read_text()
    constants = json.loads(re.search(r"const C = (\{.*\});", script).group(1))
    now_ms = timezone.now().timestamp() * 1000
    assert len(constants["SALTS"]) == 3
    assert sum(start <= now_ms < end for start, end, _ in constants["SALTS"]) == 1
    assert (tmp_path / "log").is_dir()  # where nginx's access log writes the visits
    # The address and the user agent only feed the hash: the function returns the hash and the
    # referrer category, nothing else.
    body = script.split("function visit(r)", 1)[1]
    returned = body.split("return hash", 1)[1].split(";", 1)[0]
    assert returned == " + '\\t' + referrer(r, r.variables.http_referer)"


def test_changing_a_link_queues_an_export(
    world, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.ANALYTICS_NGINX_DIR = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        world.tv_link.landing_path = "/metiers/"
        world.tv_link.save()
    assert '|tv|/metiers/?";' in (tmp_path / "links.map").read_text()


def test_flusher_without_nginx_dir_reads_no_log(world, settings, tmp_path):
    settings.ANALYTICS_NGINX_DIR = ""
    (tmp_path / "log").mkdir()
    (tmp_path / "log" / "visits.log").write_text(line(world.billboard_link))
    assert flush() == 0
    assert not Visit.objects.exists()
