"""Helpers for the Playwright browser tests."""

import re
import time
from pathlib import Path

import pyotp
from axe_playwright_python.sync_playwright import Axe

from ..conftest import ARTIFACTS

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


# Keyboard only: each helper moves focus with Tab (never a click) and then
# acts with the keys a keyboard user would press.


def tab_to(page, locator, limit=200):
    """Presses Tab until `locator` has focus; fails if the keyboard cannot reach it.
    Waits first for the page's scripts to have started: a success banner takes
    the focus when they do, and a Tab pressed before that would be undone."""
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} was not reached by keyboard")


def press(page, locator, navigates=True):
    """Follows a link or presses a button: Tab to it, then Enter (and wait for
    the next page, since every button here submits a form to the server)."""
    tab_to(page, locator)
    if not navigates:
        page.keyboard.press("Enter")
        return
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, locator, text):
    """Tab to a field, clear it and type."""
    tab_to(page, locator)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.insert_text(text)


def choose(page, locator):
    """Ticks a checkbox with Space, or selects a radio the way a keyboard does:
    Tab into its group, then arrow keys (which select as they move)."""
    if locator.get_attribute("type") == "radio":
        name = locator.get_attribute("name")
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("name => document.activeElement.name === name", name):
                break
        for _ in range(20):
            if locator.evaluate("el => el === document.activeElement"):
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
    else:
        tab_to(page, locator)
        if not locator.is_checked():
            page.keyboard.press("Space")
    assert locator.is_checked(), f"{locator} was not selected by keyboard"


def upload(page, locator, path):
    """Tabs to the file field and gives it `path`, as choosing the file would.
    The field is set directly rather than through the file chooser that Space
    opens: Playwright starts intercepting choosers without waiting for the
    browser to confirm it, so on a busy machine the key could open a chooser
    nobody intercepts and the test would time out (the chooser belongs to the
    browser, not to this site; reaching the field by keyboard is what we test)."""
    tab_to(page, locator)
    assert locator.get_attribute("type") == "file", f"{locator} is not a file field"
    locator.set_input_files(path)


def type_steadily(page, text):
    """Types `text` key by key, each key stamped at most a tenth of a second
    after the last. A select's type-ahead forgets what was typed after a
    second between keys, and the browser measures that second by the keys'
    own time stamps: stamped by the wall clock (as page.keyboard.type does),
    a busy machine would make one long pause and choose the wrong option."""
    cdp = page.context.new_cdp_session(page)
    try:
        stamp = None
        for char in text:
            now = time.time()
            stamp = now if stamp is None else max(stamp + 0.001, min(now, stamp + 0.1))
            key = {"key": char, "timestamp": stamp}
            cdp.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": char, "unmodifiedText": char, **key})
            cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **key})
    finally:
        cdp.detach()


_steps_used = set()  # (secret, 30-second step) of each code typed in this process


def enter_authenticator_code(page, locator, secret):
    """Types the authenticator app's current code and presses Enter. A code
    is good for its 30-second step only, so on a busy machine the step can end
    between reading the code and the server checking it: then, and only then,
    the person types the new code, as anyone with the app in hand would."""
    totp = pyotp.TOTP(secret)
    for _ in range(3):
        step = int(time.time()) // totp.interval
        if (secret, step) in _steps_used:
            # The service refuses a code used once already (a replay), as it should:
            # a person signing in again within the same 30 seconds waits for the next code.
            page.wait_for_timeout(((step + 1) * totp.interval - time.time()) * 1000 + 100)
            step += 1
        _steps_used.add((secret, step))
        type_into(page, locator, totp.at(step * totp.interval))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if not re.search(r"/accounts/2fa/authenticate/", page.url):
            return
        if int(time.time()) // totp.interval == step:
            break  # refused within its own step: a real refusal
    raise AssertionError(f"the code was refused: {page.locator('main').inner_text()}")


def select(page, locator, label):
    """Chooses an option of a closed select by typing its name, as a keyboard user can."""
    tab_to(page, locator)
    type_steadily(page, label)
    chosen = locator.evaluate("el => el.options[el.selectedIndex].text")
    assert chosen.strip() == label, f"{locator}: selected {chosen!r}, not {label!r}"


def type_date(page, locator, day):
    """Types the date into a date field as a keyboard user does, in the order
    the field shows its parts. That order comes from the system's locales,
    not the page's: day first where a British locale is installed, month
    first where none is (as on a bare Debian machine)."""
    tab_to(page, locator)
    page.keyboard.type(day.strftime("%d%m%Y"))
    if locator.input_value() != day.isoformat():
        # Back from the year to the first part, then month, day, year.
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        page.keyboard.type(day.strftime("%m%d%Y"))
    assert locator.input_value() == day.isoformat(), f"{locator}: {locator.input_value()!r}, not {day}"


SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


def check_and_screenshot(page, name):
    """No axe violation, and a fresh screenshot of the whole page, saved as
    tests/browser/screenshots/<name>.png (rewritten on every run)."""
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in_with_code(page, live_server, email, password, secret):
    """Signs in afresh by keyboard: email, password, then the authenticator code."""
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    type_into(page, page.get_by_label("Email"), email)
    type_into(page, page.get_by_label("Password"), password)
    press(page, page.get_by_role("button", name="Sign In"))
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    enter_authenticator_code(page, page.get_by_label("Code"), secret)
