"""The one audience vocabulary used everywhere (docs/architecture.md, Audiences)."""

from django.db import models


class Audience(models.TextChoices):
    YOUNG_PEOPLE = "young_people", "Jeunes"
    PARENTS = "parents", "Parents"
    JOB_SEEKERS = "job_seekers", "Demandeurs d'emploi"
    CAREER_CHANGERS = "career_changers", "Personnes en reconversion"
    ADVISERS = "advisers", "Enseignants et prescripteurs"
    GENERAL_PUBLIC = "general_public", "Grand public"
    PRESS = "press", "Presse"
