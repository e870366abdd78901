"""A venue's address and city and a service's variant are one-line NameFields now (no schema change: the columns
stay CharFields); what was stored before with a line break or control character, there and in the names that
became NameFields earlier (0879892), is folded to one space as NameField stores it ('Glow\\r\\nStudio')."""

from django.db import migrations

from pamper.lib.names import fold_stored

FIELDS = {"Venue": ("name", "address", "city"), "Resource": ("name",), "Staff": ("name",),
          "Service": ("name", "variant"), "Client": ("name",)}


def fold_names(apps, schema_editor):
    vendor = schema_editor.connection.vendor if schema_editor else "sqlite"
    for model, fields in FIELDS.items():
        fold_stored(apps.get_model("venues", model), fields, vendor)


class Migration(migrations.Migration):

    dependencies = [
        ('venues', '0011_policies_reach_a_year_at_most'),
    ]

    operations = [
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]
