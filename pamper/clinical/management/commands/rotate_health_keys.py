"""`pamper rotate_health_keys`: re-encrypt all health data under the newest key.

Put the new key first in PAMPER_HEALTH_KEYS (keep the old ones after it), run
this command, then check with `--check` and remove the old keys. Rows are
re-encrypted in batches, each batch in its own transaction; photo files are
rewritten atomically. Running it twice is harmless.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from pamper.clinical import crypto, photos
from pamper.clinical.models import ProgressPhoto

BATCH = 500


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every clinical model with its encrypted field names."""
    found = []
    for model in apps.get_app_config("clinical").get_models():
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, crypto.EncryptedTextField | crypto.EncryptedJSONField)]
        if names:
            found.append((model, names))
    return found


def _raw_values(model: type[models.Model], names: list[str]) -> list[tuple[Any, ...]]:
    """(pk, token, token, ...) straight from the columns, without decrypting."""
    table = model._meta.db_table
    columns = ", ".join(model._meta.get_field(n).column for n in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {model._meta.pk.column}, {columns} FROM {table}")  # noqa: S608 (names from the model)
        return list(cursor.fetchall())


class Command(BaseCommand):
    help = "Re-encrypt health data (fields and photo files) under the newest PAMPER_HEALTH_KEYS key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true",
                            help="Only verify that everything opens with the newest key alone.")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        if check:
            self._check()
            return
        rows = 0
        for model, names in encrypted_fields():
            rows += self._rotate_model(model, names)
        files = sum(photos.rotate_file(n) for n in ProgressPhoto.objects.values_list("storage_name", flat=True))
        self.stdout.write(f"Re-encrypted {rows} rows and {files} photo files under the newest key.")

    def _rotate_model(self, model: type[models.Model], names: list[str]) -> int:
        # Loading decrypts with any configured key; saving encrypts with the newest.
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                for obj in model.objects.select_for_update().filter(pk__in=ids[start:start + BATCH]):
                    obj.save(update_fields=names)
        return len(ids)

    def _check(self) -> None:
        newest = crypto.newest_key_only()
        stale = 0
        for model, names in encrypted_fields():
            for row in _raw_values(model, names):
                for token in row[1:]:
                    if token:
                        try:
                            newest.decrypt(token.encode())
                        except crypto.InvalidToken:
                            stale += 1
        for name in ProgressPhoto.objects.values_list("storage_name", flat=True):
            try:
                newest.decrypt(photos.load_token(name))
            except FileNotFoundError:
                continue
            except crypto.InvalidToken:
                stale += 1
        if stale:
            raise CommandError(f"{stale} values or files still need an older key: run rotate_health_keys.")
        self.stdout.write("Everything opens with the newest key: the older keys can be removed.")
