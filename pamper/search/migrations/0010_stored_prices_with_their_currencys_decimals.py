"""The services a search row stores, in the API's shape, write each price with its currency's decimals (lib.money
money_str): a yen venue's rows said "1050.00" and now say "1050". Only rows in a currency without two decimals
change; the index writes new rows this way."""

import json
from decimal import ROUND_HALF_UP, Decimal

from babel import numbers
from django.db import migrations


def _price(text, currency):
    """money_str as it stood when this migration was written: the currency's decimals, or two when it has more."""
    value, digits = Decimal(text), int(numbers.get_currency_precision(currency.upper()))
    if value.is_finite() and max(0, -int(value.normalize().as_tuple().exponent)) > digits:
        digits = max(digits, 2)
    return str(value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def rewrite_prices(apps, schema_editor):
    SearchRow = apps.get_model("search", "SearchRow")
    currencies = set(SearchRow.objects.values_list("currency", flat=True).distinct())
    odd = [c for c in currencies if c and int(numbers.get_currency_precision(c.upper())) != 2]
    changed = []
    for row in SearchRow.objects.filter(currency__in=odd).only("id", "services").iterator(chunk_size=2000):
        services = json.loads(row.services)
        for service in services:
            service["price"] = _price(service["price"], service.get("currency") or row.currency)
        row.services = json.dumps(services, separators=(",", ":"), ensure_ascii=False)
        changed.append(row)
        if len(changed) >= 2000:
            SearchRow.objects.bulk_update(changed, ["services"])
            changed = []
    SearchRow.objects.bulk_update(changed, ["services"])


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0009_sweep_keeps_check_times_per_venue'),
    ]

    operations = [
        migrations.RunPython(rewrite_prices, migrations.RunPython.noop),
    ]
