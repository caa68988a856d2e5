from django.apps import AppConfig


class PlannerConfig(AppConfig):
    name = "vocations.planner"
    label = "planner"
    verbose_name = "Planification des vagues"
