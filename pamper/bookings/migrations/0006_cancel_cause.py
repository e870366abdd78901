"""Pamper's own cancellation reasons become codes (Booking.cancel_cause), said in the reader's language; the
English sentences stored until now are turned into their codes."""

from django.db import migrations, models

# The sentences Pamper wrote into cancel_reason before this migration, and the code each becomes.
_EXACT = {
    "The consultation and patch test it needed was cancelled.": "consultation_gone",
    "The customer erased their data.": "customer_erased",
}


def to_codes(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    for text, code in _EXACT.items():
        Booking.objects.filter(cancel_reason=text).update(cancel_cause=code, cancel_reason="")
    (Booking.objects.filter(cancel_reason__startswith="The patch test for ", cancel_reason__endswith=" showed a reaction.")
     .update(cancel_cause="patch_test_reaction", cancel_reason=""))


def to_sentences(apps, schema_editor):
    Booking = apps.get_model("bookings", "Booking")
    for text, code in _EXACT.items():
        Booking.objects.filter(cancel_cause=code).update(cancel_reason=text)
    Booking.objects.filter(cancel_cause="patch_test_reaction").update(
        cancel_reason="The patch test for this treatment showed a reaction.")


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0005_idempotency_created_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="cancel_cause",
            field=models.CharField(
                blank=True,
                choices=[
                    ("consultation_gone", "The consultation and patch test it needed was cancelled."),
                    ("patch_test_reaction", "The patch test for this treatment showed a reaction."),
                    ("customer_erased", "The customer erased their data."),
                ],
                db_default="",
                default="",
                max_length=24,
            ),
        ),
        migrations.RunPython(to_codes, to_sentences),
    ]
