from django.core.management.base import BaseCommand

from pamper.catalog.loader import load_catalogue


class Command(BaseCommand):
    help = "Load (upsert) the treatment catalogue from pamper/catalog/data/."

    def handle(self, *args: object, **options: object) -> None:
        report = load_catalogue()
        self.stdout.write(
            f"Catalogue: {report.categories} categories, {report.treatments} treatments "
            f"({report.guides} with a full guide), {report.contraindications} contraindications."
        )
