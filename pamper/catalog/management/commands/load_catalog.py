from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pamper.catalog.loader import DATA_DIR, CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Load (upsert) the treatment catalogue from pamper/catalog/data/. Safe to run again."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="Read the TOML files from here.")

    def handle(self, *args: object, **options: object) -> None:
        data_dir = options["data_dir"]
        assert isinstance(data_dir, Path)
        try:
            report = load_catalogue(data_dir)
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Catalogue: {report.categories} categories, {report.treatments} treatments "
            f"({report.guides} with a full guide), {report.contraindications} contraindications; "
            f"{report.created} created, {report.updated} updated."
        )
        if report.stale:
            self.stdout.write(f"No longer in the files (kept): {', '.join(report.stale)}")
        if report.unknown_translations:
            self.stdout.write(f"Translations of nothing in the English files: {', '.join(report.unknown_translations)}")
