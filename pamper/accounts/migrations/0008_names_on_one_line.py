"""A person's name and an API token's name stored before they were NameFields (0879892) with a line break or
control character are folded to one space, as NameField stores them (no schema change)."""

from django.db import migrations

from pamper.lib.names import fold_stored


def fold_names(apps, schema_editor):
    vendor = schema_editor.connection.vendor if schema_editor else "sqlite"
    fold_stored(apps.get_model("accounts", "User"), ("name",), vendor)
    fold_stored(apps.get_model("accounts", "ApiToken"), ("name",), vendor)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_closed_at'),
    ]

    operations = [
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]
