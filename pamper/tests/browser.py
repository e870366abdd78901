"""Helpers for the browser journeys: sign in without the form, a phone's viewport, and the checks every page
passes (no sideways scrolling at 390 px, no serious or critical axe-core finding), with a screenshot kept.

With PAMPER_JOURNEY_SHOTS=1 screenshots go to var/test-artifacts/journeys/ (var/ is git-ignored): one per page
checked, named by the journey and the viewport, so a reviewer can look at every screen a journey went through.
They are off by default: a full-page PNG costs 0.1 to 0.3 s of CPU each, 7 s a run, and nothing asserts on them
(a failing journey's screenshot is always kept, by the root conftest.py's `page` fixture).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as HttpClient

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "journeys"
BLOCKING = {"serious", "critical"}

_axe = Axe()  # reads the axe.min.js the package ships; nothing is downloaded


def sign_in(page: Any, base_url: str, user: Any) -> None:
    """Give the page's browser context a signed-in session for `user` (Django's force_login, no form, no limits)."""
    client = HttpClient()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])


def offline(page: Any, base_url: str) -> None:
    """Abort every request that leaves the test server (map tiles): the page must work without them, and a
    request hanging on a machine with no network would hold the load event. The pattern is a regular expression
    that Playwright matches in its driver: the test server's own requests (every stylesheet, script and htmx
    call) never make the round trip to this process that a "**/*" route with a Python callback costs each."""
    page.route(re.compile(rf"^(?!{re.escape(base_url)}/)"), lambda route: route.abort())


def overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


# axe-core's default run, less the rules that cannot find anything serious or critical: a rule's finding takes
# the impact of its failed checks, so a rule whose checks are all minor or moderate (region, heading-order, the
# landmark rules ...) can never fail a journey, and running them cost about a third of axe's time. Which rules
# those are is read from the axe-core in the page, so a newer axe-core keeps the same meaning.
_RUN_BLOCKING_RULES = """(blocking) => {
  const checks = axe._audit.data.checks, off = {};
  for (const rule of axe._audit.rules) {
    const own = [...rule.any, ...rule.all, ...rule.none].map(c => typeof c === 'string' ? c : c.id);
    if (!own.some(id => blocking.includes((checks[id] || {}).impact))) off[rule.id] = {enabled: false};
  }
  return axe.run(document, {rules: off, resultTypes: ['violations']});
}"""


def axe_findings(page: Any) -> list[str]:
    """The serious and critical axe-core violations on the page as it stands, one line each. axe-core goes into
    the page once per document (a second check of the same page, at another width, reuses it)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    violations = page.evaluate(_RUN_BLOCKING_RULES, sorted(BLOCKING))["violations"]
    return [f"{v['impact']}: {v['id']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']}) {v['help']}"
            for v in violations if v.get("impact") in BLOCKING]


def wide_elements(page: Any) -> list[str]:
    """The innermost elements reaching past the viewport's right edge (what makes a page scroll sideways)."""
    return page.evaluate("""() => {
      const w = window.innerWidth, out = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1)) {
          out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                   (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
                   + ' ' + Math.round(r.right));
        }
        if (out.length >= 8) break;
      }
      return out;
    }""")


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path | None:
    """The page as a PNG in var/test-artifacts/journeys/, when PAMPER_JOURNEY_SHOTS=1 asks for it."""
    if os.environ.get("PAMPER_JOURNEY_SHOTS") != "1":
        return None
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def check_page(page: Any, name: str, *, axe: bool = True) -> None:
    """The page fits its viewport's width (at 390 px: scrollWidth <= 390), has no serious or critical axe-core
    finding; with PAMPER_JOURNEY_SHOTS=1 it is kept as a screenshot named `name` plus the viewport width."""
    width = page.viewport_size["width"]
    screenshot(page, f"{name}-{width}")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} at {width} px is {scroll_width} px wide: {wide_elements(page)}"
    if axe:
        findings = axe_findings(page)
        assert not findings, f"{name} at {width} px:\n" + "\n".join(findings)
