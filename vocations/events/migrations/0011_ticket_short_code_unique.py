# Ticket short codes, step 3 of 3: required for every new row, unique within an event.
from django.db import migrations, models

import vocations.events.models.registrations


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0010_ticket_short_code_fill_existing'),
    ]

    operations = [
        migrations.AlterField(
            model_name='registration',
            name='short_code',
            field=models.CharField(default=vocations.events.models.registrations.new_short_code, max_length=8, verbose_name='code court du billet'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(fields=('event', 'short_code'), name='uniq_registration_short_code'),
        ),
    ]
