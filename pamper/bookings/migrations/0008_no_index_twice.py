"""Drop the single-column indexes Django made for six foreign keys whose column already leads a composite index
(or the unique (user, key) constraint): each was one more index to write on every booking.

Only the indexes go (RunSQL): AlterField would also drop and re-add each foreign-key constraint, checking every row
of the tables again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DROPPED = [
    ("bookings_booking_customer_id_6b4bdaa9", "bookings_booking", "customer_id"),
    ("bookings_booking_venue_id_413b23e3", "bookings_booking", "venue_id"),
    ("bookings_bookingitem_resource_id_b4358076", "bookings_bookingitem", "resource_id"),
    ("bookings_bookingitem_staff_id_91985c9c", "bookings_bookingitem", "staff_id"),
    ("bookings_bookingitem_venue_id_d6a6b268", "bookings_bookingitem", "venue_id"),
    ("bookings_idempotencyrecord_user_id_f01755bd", "bookings_idempotencyrecord", "user_id"),
]


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0007_next_free_checks_per_venue'),
        ('venues', '0013_postcode_and_title_on_one_line'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='booking',
                    name='customer',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='bookings', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='booking',
                    name='venue',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='bookings', to='venues.venue'),
                ),
                migrations.AlterField(
                    model_name='bookingitem',
                    name='resource',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='booking_items', to='venues.resource'),
                ),
                migrations.AlterField(
                    model_name='bookingitem',
                    name='staff',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='booking_items', to='venues.staff'),
                ),
                migrations.AlterField(
                    model_name='bookingitem',
                    name='venue',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='venues.venue'),
                ),
                migrations.AlterField(
                    model_name='idempotencyrecord',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")')
                for name, table, column in DROPPED
            ],
        ),
    ]
