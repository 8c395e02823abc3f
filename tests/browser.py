"""Helpers for the Playwright browser tests."""

from axe_playwright_python.sync_playwright import Axe

from .conftest import ARTIFACTS

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]},
    "resultTypes": ["violations"],
}
_axe = Axe()
pages_checked = []


def assert_accessible(page, name=None):
    """axe-core must find no WCAG 2.2 AA (or best-practice) violation on the page."""
    results = _axe.run(page, options=AXE_OPTIONS)
    pages_checked.append(page.url)
    if name:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def press_until_focused(page, selector, key="Tab", limit=80):
    """Moves keyboard focus with Tab until the element matching `selector` has it."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached by keyboard")
