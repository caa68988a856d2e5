from django.apps import AppConfig


class SetupConfig(AppConfig):
    """The project-level place: commands that orchestrate every app (docs/architecture.md).

    No models. It is the only app allowed to import all the others, interfaces included.
    """

    name = "vocations.setup"
    label = "setup"
