"""A start gathers the static files only when their sources changed (pamper/ops/static.py), with the production
storage (hashed names and a manifest)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pamper.ops.static import STAMP, collect_if_changed

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def site(settings, tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """A static tree of one stylesheet (the only finder: STATICFILES_DIRS) gathered into a folder of the test's."""
    sources, root = tmp_path / "sources", tmp_path / "static"
    sources.mkdir()
    root.mkdir()
    (sources / "site.css").write_text("body { color: #222; }\n")
    settings.STATICFILES_DIRS = [sources]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    return sources, root


def hashed(root: Path) -> str:
    return json.loads((root / "staticfiles.json").read_text())["paths"]["site.css"]


def test_a_second_start_gathers_nothing_and_a_changed_file_is_gathered_again(site: tuple[Path, Path]) -> None:
    sources, root = site
    assert collect_if_changed() is True
    first = hashed(root)
    assert (root / first).read_text() == "body { color: #222; }\n"

    assert collect_if_changed() is False  # nothing changed: no second pass over every file

    (sources / "site.css").write_text("body { color: #111; }\n")
    os.utime(sources / "site.css", ns=(1, 1))  # a different modification time even on a coarse clock
    assert collect_if_changed() is True
    second = hashed(root)
    assert second != first
    assert (root / second).read_text() == "body { color: #111; }\n"


def test_a_new_file_or_a_lost_manifest_gathers_again(site: tuple[Path, Path]) -> None:
    sources, root = site
    assert collect_if_changed() is True
    (sources / "extra.js").write_text("console.log('hi');\n")
    assert collect_if_changed() is True
    assert "extra.js" in json.loads((root / "staticfiles.json").read_text())["paths"]

    (root / "staticfiles.json").unlink()  # someone cleaned the folder by hand: the pages would fail to render
    assert collect_if_changed() is True
    assert (root / "staticfiles.json").is_file()


def test_a_run_cut_short_leaves_no_stamp(site: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    sources, root = site
    assert collect_if_changed() is True
    (sources / "site.css").write_text("body { color: #000; }\n")
    os.utime(sources / "site.css", ns=(2, 2))

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("pamper.ops.static.call_command", interrupted)
    with pytest.raises(KeyboardInterrupt):
        collect_if_changed()
    assert not (root / STAMP).exists()
    monkeypatch.undo()
    assert collect_if_changed() is True
    assert (root / hashed(root)).read_text() == "body { color: #000; }\n"
