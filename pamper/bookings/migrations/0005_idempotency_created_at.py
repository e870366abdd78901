"""An index on IdempotencyRecord.created_at (the minute sweep purges by age), built without locking writes."""

from django.db import migrations, models

from pamper.lib.migrations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("bookings", "0004_pending_payment")]

    operations = [
        AddIndexConcurrently(
            model_name="idempotencyrecord",
            index=models.Index(fields=["created_at"], name="idempotency_created_at"),
        ),
    ]
