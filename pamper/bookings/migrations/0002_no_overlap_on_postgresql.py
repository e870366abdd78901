"""On PostgreSQL, make overlapping active bookings of one staff member (or one
room/device) impossible at the database level.

CREATE EXTENSION btree_gist needs a superuser (or a trusted-extension grant):
deployments whose application role is not one create it once by hand first.
SQLite has no exclusion constraints; there the booking action checks and
inserts inside one IMMEDIATE transaction.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE bookings_bookingitem ADD CONSTRAINT bookingitem_staff_no_overlap
       EXCLUDE USING gist (staff_id WITH =, tstzrange(busy_start, busy_end, '[)') WITH &&) WHERE (active)""",
    """ALTER TABLE bookings_bookingitem ADD CONSTRAINT bookingitem_resource_no_overlap
       EXCLUDE USING gist (resource_id WITH =, tstzrange(busy_start, busy_end, '[)') WITH &&)
       WHERE (active AND resource_id IS NOT NULL)""",
]
DROP = [
    "ALTER TABLE bookings_bookingitem DROP CONSTRAINT IF EXISTS bookingitem_resource_no_overlap",
    "ALTER TABLE bookings_bookingitem DROP CONSTRAINT IF EXISTS bookingitem_staff_no_overlap",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
