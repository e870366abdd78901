# The catalogue in other languages: one JSON column per catalogue table (pamper/catalog/i18n.py).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_treatment_pain'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='translations',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='contraindication',
            name='translations',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='treatment',
            name='translations',
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
