import uuid

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One line of the audit trail: who did what to which object, and when.

    Written only by vocations.core.services.audit_log, from inside the service's
    transaction, so an action and its trace are stored together or not at all.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class ReferenceDataset(models.Model):
    """Which version of a shipped reference file is loaded, so a re-run can skip it."""

    name = models.CharField(max_length=50, unique=True)
    checksum = models.CharField(max_length=64)
    counts = models.JSONField(default=dict, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jeu de données de référence"
        verbose_name_plural = "jeux de données de référence"

    def __str__(self) -> str:
        return f"{self.name} ({self.checksum[:12]})"


class BackgroundImport(models.Model):
    """A file import run by the worker, so a large or hostile file never holds a web worker.

    The uploaded bytes wait in ``VAR_DIR/import-jobs/`` (outside MEDIA_ROOT: never served)
    until the purge; ``result`` holds the importer's report (counts, line errors, refusal).
    Progress while it runs lives in the cache (vocations/core/jobs.py): the importer's own
    transaction would hide it from the page that polls.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=50)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    params = models.JSONField(default=dict, blank=True)
    filename = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100)
    valid_lines_only = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "import en arrière-plan"
        verbose_name_plural = "imports en arrière-plan"

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
