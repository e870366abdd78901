"""The `pamper` command: Django's management commands with Pamper's settings.

`pamper seed --demo --venues 3000`, `pamper migrate`, `pamper db_worker` ...
"""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
    execute_from_command_line(["pamper", *sys.argv[1:]])


if __name__ == "__main__":
    main()
