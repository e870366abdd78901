"""A venue's postcode and a staff member's title are one-line NameFields too (no schema change); what was stored
before with a line break or control character is folded to one space, as 0012 did for names and addresses."""

from django.db import migrations

from pamper.lib.names import fold_stored

FIELDS = {"Venue": ("postcode",), "Staff": ("title",)}


def fold(apps, schema_editor):
    vendor = schema_editor.connection.vendor if schema_editor else "sqlite"
    for model, fields in FIELDS.items():
        fold_stored(apps.get_model("venues", model), fields, vendor)


class Migration(migrations.Migration):

    dependencies = [
        ('venues', '0012_names_and_addresses_on_one_line'),
    ]

    operations = [
        migrations.RunPython(fold, migrations.RunPython.noop),
    ]
