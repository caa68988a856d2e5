"""Ingesting the visit log nginx writes for tracked links (nginx_links.py, docs/analytics.md).

Each line is one answered visit, already anonymous (no IP address, no user agent),
tab-separated. nginx's access log writes (deploy/nginx/tracked-links-http.conf)
``v2 key seconds.ms id|placement|wave|campaign|channel|prefix source device bot hash referrer``;
the njs handler of before wrote
``v1 key ms link placement wave campaign channel source device bot referrer hash path``
(still read: a log written before an upgrade). The flusher calls :func:`ingest` each round:

- files are read from the offset stored for their device:inode (VisitLogOffset), up to the
  last complete line; the visits go in with INSERT … ON CONFLICT (visit_key) DO NOTHING and
  the new offset is saved **in the same transaction**, under a row lock, so parallel or killed
  ingesters never skip a line and never store one twice;
- each file is fsynced before it is read: nginx's writes are in the kernel's page cache as
  soon as made (no process kill loses them), and a power cut loses at most what arrived since
  the previous round (5 s, as Redis's ``appendfsync everysec`` for the Django path);
- once ``visits.log`` passes ``ROTATE_BYTES`` and is fully read it is renamed and nginx is told
  to reopen its logs (ANALYTICS_NGINX_RELOAD; without that command the file is never renamed:
  nginx would keep writing to the renamed file). A renamed file is deleted when two rounds in a
  row found it fully read, the second after nginx reopened (old workers have finished by then).

A line that does not parse (truncated by a crash of the writer, edited by hand) is skipped and
counted in the log, never guessed at.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.db import transaction

from .. import privacy
from ..models import Device, ReferrerCategory, Source, VisitLogOffset
from ..nginx_links import LOG_NAME, reload_command, reload_nginx, visit_log_dir
from .increments import store_and_fold

logger = logging.getLogger(__name__)

ROTATE_BYTES = 64 * 1024 * 1024
READ_BYTES = 4 * 1024 * 1024
_SOURCES = {Source.QR.value, Source.CLICK.value}
_DEVICES = set(Device.values)
_REFERRERS = set(ReferrerCategory.values)
_CHANNEL_MAX = 20


def _int_or_none(value: str) -> int | None:
    if value == "":
        return None
    number = int(value)
    if number <= 0:
        raise ValueError(value)
    return number


def _v2_as_v1(fields: list[str]) -> list[str] | None:
    """nginx's line (v2) in the order of the njs line (v1)."""
    if len(fields) != 9:
        return None
    _, key, seconds, link, source, device, bot, vhash, ref = fields
    whole, _, millis = seconds.partition(".")
    parts = link.split("|")
    if len(parts) != 6 or not whole.isdigit() or not (millis + "0").isdigit():
        return None
    path = parts[5].split("?", 1)[0]
    ms = str(int(whole) * 1000 + int((millis + "000")[:3]))
    return ["v1", key, ms, *parts[:5], source, device, bot, ref, vhash, path]


def parse_line(line: str) -> dict[str, Any] | None:
    """The buffer payload of one log line, or None when the line is not a well-formed visit."""
    fields = line.rstrip("\n").split("\t")
    if fields[0] == "v2":
        fields = _v2_as_v1(fields)
    if fields is None or len(fields) != 14 or fields[0] != "v1":
        return None
    (_, key, ms, link, placement, wave, campaign, channel, source, device, bot, ref, vhash,
     path) = fields  # fmt: skip
    try:
        at = dt.datetime.fromtimestamp(int(ms) / 1000, tz=dt.UTC)
        link_id = _int_or_none(link)
        ids = [_int_or_none(value) for value in (placement, wave, campaign)]
    except (ValueError, OverflowError, OSError):
        return None
    if (
        not privacy.valid_visit_key(key)
        or link_id is None
        or source not in _SOURCES
        or device not in _DEVICES
        or bot not in ("0", "1")
        or ref not in _REFERRERS
        or len(vhash) != privacy.HASH_LENGTH
        or any(c not in "0123456789abcdef" for c in vhash)
        or len(channel) > _CHANNEL_MAX
    ):
        return None
    return {
        "visit_key": key,
        "at": at.isoformat(),
        "landing_path": privacy.clean_text(unquote(path), 300) or "/",
        "source": source,
        "link_id": link_id,
        "placement_id": ids[0],
        "wave_id": ids[1],
        "campaign_id": ids[2],
        "channel": privacy.clean_text(channel, _CHANNEL_MAX),
        **dict.fromkeys(privacy.UTM_FIELDS, ""),
        "referrer": ref,
        "device": device,
        "is_bot": bot == "1",
        "visitor_hash": vhash,
    }


def _file_id(stat: os.stat_result) -> str:
    return f"{stat.st_dev}:{stat.st_ino}"


def _ingest_file(path: Path, stats: dict[str, int]) -> tuple[bool, dt.datetime | None]:
    """Read ``path`` from its offset to its end, folding the visits into the roll-ups.

    Returns (fully read, earliest visit too old to fold in: to recompute from)."""
    earliest = None
    try:
        with path.open("rb") as handle:
            # Lines nginx wrote since the last round reach the disk now (a power cut loses at
            # most one round); a process kill never lost them (the page cache is the kernel's).
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return True, earliest
    while True:
        try:
            stat = path.stat()
        except FileNotFoundError:
            return True, earliest
        ident = _file_id(stat)
        with transaction.atomic():
            VisitLogOffset.objects.get_or_create(file=ident)
            offset = VisitLogOffset.objects.select_for_update().get(file=ident)
            if offset.position > stat.st_size:  # not the file the offset was for: read again
                offset.position = 0
            with path.open("rb") as handle:
                handle.seek(offset.position)
                chunk = handle.read(READ_BYTES)
            end = chunk.rfind(b"\n") + 1
            if end == 0:
                return offset.position >= stat.st_size, earliest
            payloads = []
            for raw in chunk[:end].split(b"\n")[:-1]:
                payload = parse_line(raw.decode("utf-8", "replace"))
                if payload is None:
                    stats["skipped"] += 1
                    continue
                payloads.append(payload)
            result = store_and_fold(payloads=payloads)
            offset.position += end
            offset.save(update_fields=["position", "updated_at"])
        stats["stored"] += result["inserted"]
        first = result["recompute_since"]
        if first is not None and (earliest is None or first < earliest):
            earliest = first


def ingest(*, directory: Path | None = None, rotate_bytes: int = ROTATE_BYTES) -> dict[str, Any]:
    """Store every complete line of the visit logs. Returns counts and, under "earliest", where
    roll-ups must be recomputed from (visits too old to be folded in), or None."""
    stats: dict[str, Any] = {"stored": 0, "skipped": 0, "earliest": None}
    log_dir = directory or visit_log_dir()
    if log_dir is None or not log_dir.exists():
        return stats
    current = log_dir / LOG_NAME
    rotated = sorted(log_dir.glob(LOG_NAME + ".*"), key=lambda p: p.name)
    for path in [*rotated, current]:
        done, first = _ingest_file(path, stats)
        if first and (stats["earliest"] is None or first < stats["earliest"]):
            stats["earliest"] = first
        if not done:
            continue
        if path != current:
            _drop_if_settled(path)
        elif path.exists() and path.stat().st_size >= rotate_bytes and reload_command():
            # Renamed, not copied: the inode (and its offset) goes with it; nginx then reopens
            # the path. If it cannot be told, the name goes back (nginx keeps writing there).
            renamed = log_dir / f"{LOG_NAME}.{time.time_ns()}"
            path.rename(renamed)
            if not reload_nginx():
                renamed.rename(path)
    if stats["skipped"]:
        logger.warning("visit log: %s malformed line(s) skipped", stats["skipped"])
    return stats


def _drop_if_settled(path: Path) -> None:
    """Delete a renamed file read to its end in two rounds in a row (no clock involved)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return
    with transaction.atomic():
        offset, _ = VisitLogOffset.objects.get_or_create(file=_file_id(stat))
        offset = VisitLogOffset.objects.select_for_update().get(pk=offset.pk)
        if offset.position < stat.st_size:
            with path.open("rb") as handle:
                handle.seek(offset.position)
                if b"\n" in handle.read():
                    return  # complete lines left: the next round reads them
        if not offset.drained:
            offset.drained = True
            offset.save(update_fields=["drained", "updated_at"])
            return
        if offset.position < stat.st_size:
            # A torn last line (its writer died mid-write): that visit was never answered.
            logger.warning("visit log %s: torn last line dropped", path.name)
        path.unlink(missing_ok=True)
        offset.delete()
