"""The `pamper` command: Django's management commands with Pamper's settings.

`pamper seed --demo --venues 3000`, `pamper migrate`, `pamper db_worker` ...
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamper.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pamper", *sys.argv[1:]])


if __name__ == "__main__":
    main()
