"""Celery finds the tasks of each app here; core's live beside their code."""

from .jobs import purge_old_imports_task, run_background_import

__all__ = ["purge_old_imports_task", "run_background_import"]
