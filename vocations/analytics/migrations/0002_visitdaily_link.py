"""Daily roll-ups per link. Rows rolled up before this migration have no link: run
``manage.py rollup_visits --all`` once after upgrading (docs/reports.md)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="visitdaily",
            name="link",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="campaigns.trackedlink",
            ),
        ),
    ]
