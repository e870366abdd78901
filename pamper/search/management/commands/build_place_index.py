from django.core.management.base import BaseCommand

from pamper.search import places


class Command(BaseCommand):
    help = "Build the offline place index cache (DATA_DIR/cache) so the first search does not wait for it."

    def handle(self, *args: object, **options: object) -> None:
        answer = places.resolve("London", "GB")
        self.stdout.write(f"Place index ready (London -> {answer.place.name if answer.place else 'not found'}).")
