"""The accessibility check the journeys run (pamper/tests/browser.py: axe_findings) still finds what it must
although it runs only the axe-core rules that can find something serious or critical: a picture without a text
alternative (critical), grey text on white that is too faint to read (serious), a button with no name (critical).
What only a minor or moderate rule would report (no main landmark, headings that skip a level) passes, as it always
did; and a second check of the same page, which reuses the axe-core already in it, finds the same."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from pamper.tests.browser import axe_findings

pytestmark = pytest.mark.browser

CLEAN = """<!doctype html><html lang="en"><head><title>Fine</title></head>
<body><main><h1>Fine</h1><h3>Skips a level, a moderate finding</h3><p>Readable text.</p></main></body></html>"""

BROKEN = """<!doctype html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#d0d0d0;background:#ffffff">Too faint to read</p>
<button></button>
</main></body></html>"""


def test_serious_and_critical_findings_are_still_found_and_moderate_ones_are_not(page: Page) -> None:
    page.set_content(CLEAN)
    assert axe_findings(page) == []

    page.set_content(BROKEN)
    first = axe_findings(page)
    rules = {line.split(":")[1].split()[0] for line in first}
    assert rules == {"image-alt", "color-contrast", "button-name"}, first
    assert all(line.startswith(("critical:", "serious:")) for line in first), first
    assert axe_findings(page) == first  # axe-core already in the page: the same findings
