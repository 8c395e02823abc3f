"""Every page each demo persona reaches from their home fits a 320 px wide
screen (no horizontal scroll) and passes axe: the 320 px pass over every
journey, on the demo data (seed_demo), as each role would walk it.

Each persona signs in (password, then the authenticator code where they have
one), lands on their home and opens every page the home and the site's
navigation link to, then every page those link to within the same area, up to
PAGES_PER_PERSONA, one page of each shape (/courses/7/ and /courses/9/ are
one shape; so are a list and its filtered views). Files (PDF, CSV, XLSX, ICS, ZIP) and signing out are not
pages and are skipped."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, demo_totp_secret

from .browser import assert_accessible, enter_authenticator_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 720}
PAGES_PER_PERSONA = 30
NOT_PAGES = re.compile(
    r"(logout|/accounts/|/admin/|/api/|\.(pdf|csv|xlsx|ics|zip|json)(\?|$)|/download|/evidence/|/letter|export|/press-pack|/status-list)"
)
GROUPS = {
    "awards": ["provider@demo.test", "judge@demo.test", "chair@demo.test", "media@demo.test"],
    "staff": ["admin@demo.test", "academy@demo.test"],
    "learning": ["courses@demo.test", "leader@demo.test", "public"],
}


def sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    if "/2fa/" in page.url:
        enter_authenticator_code(page, page.get_by_label("Code"), demo_totp_secret(email))
        page.wait_for_url(lambda url: "/2fa/" not in url)


def links_on(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], nav a[href], main a[href], footer a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        url = urljoin(page.url, href).split("#")[0]
        if url.startswith(base) and not NOT_PAGES.search(urlsplit(url).path + ("?" + urlsplit(url).query)):
            found.append(url)
    return found


def shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(url).path)


def walk(page, base, who) -> dict[str, str]:
    """Opens the persona's pages breadth first; returns each problem by page."""
    page.set_viewport_size(NARROW)
    if who != "public":
        sign_in(page, base, who)
    queue, seen, problems = [page.url if who != "public" else base + "/"], set(), {}
    while queue and len(seen) < PAGES_PER_PERSONA:
        url = queue.pop(0)
        if shape(url) in seen:
            continue
        seen.add(shape(url))
        response = page.goto(url)
        path = urlsplit(url).path
        if response.status >= 500:
            problems[path] = f"answered {response.status}"
            continue
        if response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            problems[path] = f"{width} px wide"
        try:
            assert_accessible(page)
        except AssertionError as error:
            problems[path] = str(error)[:2000]
        queue.extend(link for link in links_on(page, base) if shape(link) not in seen)
    assert len(seen) > 5, f"{who} reached only {sorted(seen)}"
    return problems


@pytest.mark.parametrize("group", GROUPS)
def test_every_page_each_persona_reaches_fits_320px_and_passes_axe(live_server, browser, group):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    problems = {}
    for who in GROUPS[group]:
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(120_000)
        context.set_default_navigation_timeout(120_000)
        try:
            found = walk(context.new_page(), live_server.url, who)
        finally:
            context.close()
        problems.update({f"{who} {path}": problem for path, problem in found.items()})
    assert problems == {}
