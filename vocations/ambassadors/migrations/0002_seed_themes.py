"""The collective's five themes (from the Influstriels' charter); coordinators may edit them."""

from django.db import migrations

THEMES = [
    ("nouvel-imaginaire", "Un nouvel imaginaire de l'industrie",
     "Accélérer l'émergence d'un nouvel imaginaire autour de l'industrie."),
    ("inclusion-diversite", "Inclusion et diversité",
     "Mettre en valeur et contribuer à une plus grande inclusion et diversité."),
    ("industrie-responsable", "Une industrie responsable et circulaire",
     "Soutenir une industrie responsable et circulaire."),
    ("savoir-faire", "Savoir-faire et produits du tissu industriel",
     "Valoriser les savoir-faire et les produits de notre tissu industriel."),
    ("mobilisations-territoriales", "Mobilisations territoriales",
     "Montrer les mobilisations territoriales dans leur diversité."),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("ambassadors", "Theme")
    for position, (slug, name, description) in enumerate(THEMES, start=1):
        Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("ambassadors", "Theme").objects.filter(
        slug__in=[slug for slug, _, _ in THEMES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ambassadors", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
