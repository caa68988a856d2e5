"""The planner's Celery task: takes the plan's id, the service does the work."""

from __future__ import annotations

from celery import shared_task

from .runner import plan_run


@shared_task(name="vocations.planner.tasks.run_plan")
def run_plan(plan_id: int) -> None:
    plan_run(plan_id=plan_id)
