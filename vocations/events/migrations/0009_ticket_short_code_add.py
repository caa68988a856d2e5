# Ticket short codes, step 1 of 3: the column, empty for the rows that exist.
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0008_organizer_notices_press_mails_companions'),
    ]

    operations = [
        migrations.AddField(
            model_name='registration',
            name='short_code',
            field=models.CharField(max_length=8, null=True, verbose_name='code court du billet'),
        ),
    ]
