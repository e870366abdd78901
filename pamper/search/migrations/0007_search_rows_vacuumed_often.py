"""Autovacuum settings of the search rows' table (PostgreSQL only; SQLite has no such thing).

A search is an index-only scan, which reads a row's table page as well
wherever that page is not marked all-visible; every update clears the mark and
only VACUUM sets it again. The next-free sweep keeps updating rows (their slot
and when it was checked), so with PostgreSQL's defaults (a vacuum once a fifth
of the rows changed) nearly every page of a big index had lost its mark between
two vacuums. A vacuum once 1% of the rows changed keeps most pages marked; it
visits only the pages changed since the last one.
"""

from django.db import migrations

TABLE = "search_searchrow"
SETTINGS = {
    "autovacuum_vacuum_scale_factor": "0.01",
    "autovacuum_vacuum_threshold": "1000",
    "autovacuum_vacuum_insert_scale_factor": "0.01",
    "autovacuum_vacuum_insert_threshold": "1000",
    "autovacuum_analyze_scale_factor": "0.05",
}


def vacuum_often(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        pairs = ", ".join(f"{name} = {value}" for name, value in SETTINGS.items())
        schema_editor.execute(f"ALTER TABLE {TABLE} SET ({pairs})")


def as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET ({', '.join(SETTINGS)})")


class Migration(migrations.Migration):

    dependencies = [("search", "0006_next_free_goes_stale")]

    operations = [migrations.RunPython(vacuum_often, as_before, elidable=False)]
