"""A gift card's recipient name stored before it was a NameField (0879892) with a line break or control character
is folded to one space, as NameField stores it (no schema change)."""

from django.db import migrations

from pamper.lib.names import fold_stored


def fold_names(apps, schema_editor):
    vendor = schema_editor.connection.vendor if schema_editor else "sqlite"
    fold_stored(apps.get_model("payments", "GiftCard"), ("recipient_name",), vendor)


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0003_gift_card_for_a_venue'),
    ]

    operations = [
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]
