"""The search rows' copies of a venue's name, address and city and of its services' names and variants, stored
before those were one-line NameFields, are folded as the venues migration 0012 folds the originals (a line break
or control character: one space), so a result shows what the venue's page shows."""

import json

from django.db import migrations

from pamper.lib.names import fold_stored, one_line_name


def fold_rows(apps, schema_editor):
    vendor = schema_editor.connection.vendor if schema_editor else "sqlite"
    SearchRow = apps.get_model("search", "SearchRow")
    fold_stored(SearchRow, ("venue_name", "address", "city"), vendor)
    changed = []
    # A line break in the services' JSON is written escaped ("\n", "\u2028" stays raw): a backslash or a raw
    # separator finds every candidate.
    for row in SearchRow.objects.filter(services__regex=r"[\\\u2028\u2029\x7f-\x9f]").only("id", "services"):
        services = json.loads(row.services)
        folded = [{**s, "name": one_line_name(s.get("name", "")), "variant": one_line_name(s.get("variant", ""))}
                  for s in services]
        if folded != services:
            row.services = json.dumps(folded, separators=(",", ":"), ensure_ascii=False)
            changed.append(row)
    SearchRow.objects.bulk_update(changed, ["services"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0010_stored_prices_with_their_currencys_decimals'),
        ('venues', '0012_names_and_addresses_on_one_line'),
    ]

    operations = [
        migrations.RunPython(fold_rows, migrations.RunPython.noop),
    ]
