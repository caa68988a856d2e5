"""Import of a member's LinkedIn post analytics export (CSV or XLSX), all or nothing.

LinkedIn offers no API for personal-profile analytics: the member downloads the export from
"Statistiques des posts" and uploads it here. Accepted columns (English or French headers,
first sheet of a workbook): the post URL, and optionally its publish date, impressions,
engagements (interactions), clicks, reactions, comments, reposts. Reading (encodings,
delimiters, XLSX, header aliases, line numbers) is the campaigns importer's
(vocations/campaigns/services/imports.py).

Each line sets the post's latest figures (exports are cumulative): importing the same file
twice changes nothing. A URL not declared yet becomes a LinkedIn post of the member. Every line
is checked first; one bad line and nothing is written, with "Ligne 7 : …" messages in French.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from vocations.campaigns.formats import FormatError, parse_date, parse_decimal
from vocations.campaigns.services.imports import file_checksum_bytes
from vocations.campaigns.tables import ImportReport, columns, read_table
from vocations.core.services import audit_log

from ..models import Ambassador, Post, PostMetric
from ..networks import Network, post_url_error
from .mobilisations import MAX_METRIC, _require_member, _write_metrics

LINKEDIN_COLUMNS = columns(
    ("url", "URL du post", "post url|url|lien du post|url de la publication|post link", True),
    (
        "date",
        "date de publication",
        "post publish date|publish date|date|date du post|created date",
        False,
    ),
    ("impressions", "impressions", "impression|affichages", False),
    ("engagements", "interactions", "engagements|engagement|interaction", False),
    ("clicks", "clics", "clicks|clic", False),
    ("reactions", "réactions", "reactions|reaction|likes", False),
    ("comments", "commentaires", "comments|comment", False),
    ("shares", "republications", "reposts|repost|shares|partages", False),
)
METRIC_KEYS = ("impressions", "engagements", "clicks", "reactions", "comments", "shares")


def _count(raw: object) -> int | None:
    if raw in ("", None):
        return None
    try:
        value = parse_decimal(raw)
    except FormatError as error:
        raise ValidationError(f"nombre illisible ({error})") from None
    if value < 0 or value != value.to_integral_value() or value > MAX_METRIC:
        raise ValidationError(f"nombre entier positif attendu ({raw})")
    return int(value)


def linkedin_import(
    *, actor, ambassador: Ambassador, content: bytes, filename: str, today: dt.date
) -> ImportReport:
    """Check every line, then write all of them in one transaction, or nothing.

    Raises ImportFileError for an unreadable file; line errors come back in the report."""
    _require_member(actor, ambassador)
    table = read_table(content, filename, LINKEDIN_COLUMNS)
    report = ImportReport(filename=filename, total_lines=len(table.rows))
    if table.ignored_columns:
        report.warnings.append("Colonnes ignorées : " + ", ".join(table.ignored_columns) + ".")
    known = {
        p.url: p
        for p in Post.objects.filter(collective=ambassador.collective)
        .exclude(url="")
        .select_related("ambassador")
    }
    parsed: list[tuple[int, str, dt.date, dict[str, int]]] = []
    seen: dict[str, int] = {}
    for line, values in table.rows:
        url = str(values.get("url") or "").strip()
        if message := post_url_error(Network.LINKEDIN, url):
            report.error(line, message)
            continue
        if url in seen:
            report.error(line, f"publication déjà présente ligne {seen[url]}")
            continue
        seen[url] = line
        post = known.get(url)
        if post is not None and post.ambassador_id != ambassador.pk:
            report.error(line, "cette publication a été déclarée par un autre membre")
            continue
        published_on = today
        if values.get("date") not in ("", None):
            try:
                published_on = parse_date(values["date"])
            except FormatError as error:
                report.error(line, f"date illisible ({error})")
                continue
            if published_on > today:
                report.error(line, "date de publication dans le futur")
                continue
        metrics: dict[str, int] = {}
        for key in METRIC_KEYS:
            try:
                value = _count(values.get(key))
            except ValidationError as error:
                report.error(line, f"{key} : {error.messages[0]}")
                break
            if value is not None:
                metrics[key] = value
        else:
            parsed.append((line, url, published_on, metrics))
    report.valid_lines = len(parsed)
    if report.errors:
        return report  # all or nothing: a file with one bad line writes nothing
    with transaction.atomic():
        for _, url, published_on, metrics in parsed:
            post = known.get(url)
            if post is None:
                post = Post.objects.create(
                    collective=ambassador.collective,
                    ambassador=ambassador,
                    network=Network.LINKEDIN,
                    url=url,
                    published_on=published_on,
                    department=ambassador.department,
                )
                report.created += 1
            changed = _write_metrics(post, metrics, PostMetric.Source.IMPORT)
            if post.pk and url in known:
                if changed:
                    report.updated += 1
                else:
                    report.unchanged += 1
        audit_log(
            actor=actor,
            action="ambassadors.linkedin_imported",
            target=ambassador,
            organization=ambassador.collective,
            data={
                "filename": filename[:200],
                "sha256": file_checksum_bytes(content),
                "created": report.created,
                "updated": report.updated,
            },
        )
    report.imported = True
    return report
