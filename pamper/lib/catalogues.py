"""The translation catalogues: pamper/locale/<lang>/LC_MESSAGES/django.po (kept in the repository) compiled to
the .mo files gettext reads (built, never committed).

Compiling is pure Python (Babel), so a fresh machine needs no gettext tools to run or test Pamper: the ops app
compiles stale catalogues when Django starts (`compile_stale`), and `pamper compile_translations` does it
explicitly (bin/run, images built once). Updating the catalogues from the code (`bin/messages`, Django's
makemessages) is a developer's step and uses GNU gettext.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
DOMAIN = "django"


def catalogue_paths() -> list[Path]:
    """Every django.po under the project's locale folders, sorted."""
    return sorted(path for root in settings.LOCALE_PATHS for path in Path(root).glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write the .mo next to `po_path` (fuzzy entries left out, as gettext does) atomically; returns its path."""
    # Babel's catalogue reader and writer (about 3 MB) only when a catalogue is stale: every process checks at start
    # (compile_stale), few compile.
    from babel.messages.mofile import write_mo  # noqa: PLC0415 - see the comment above
    from babel.messages.pofile import read_po  # noqa: PLC0415 - see the comment above

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    mo_path = po_path.with_suffix(".mo")
    descriptor, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    with os.fdopen(descriptor, "wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    os.replace(temporary, mo_path)  # several processes may compile at once: each replaces the file whole
    return mo_path


def is_stale(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    return not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime


def compile_all(force: bool = False) -> list[Path]:
    """Compile every catalogue (only the stale ones unless `force`); returns the .mo files written."""
    return [compile_catalogue(path) for path in catalogue_paths() if force or is_stale(path)]


def compile_stale() -> None:
    """At start: compile what changed. A read-only install (an image built with compile_translations) is fine."""
    try:
        written = compile_all()
    except OSError as exc:
        logger.warning("Could not compile the translation catalogues: %s", exc)
        return
    if written:
        logger.info("Compiled %d translation catalogue(s).", len(written))
