"""Random and hostile input at every form and every query-string filter.

Each form is found on its page (so a new field is covered without a change
here) and posted by the person it is meant for, with every visible field
filled with the same kind of hostile value: very long text, odd Unicode, NUL,
HTML and script, wrong types, dates out of range, path traversal, template and
SQL syntax, and files that lie about what they are. First every fixed payload,
then `EXAMPLES` values drawn by hypothesis per field.

Each response must be a clear refusal (an error on the form, a 4xx) or a
redirect after storing the value, and the value must come back escaped on the
page that shows it. No input may give a 500.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..factories import EXE_BYTES, MINIMAL_PDF
from .matrix_world import build_world, url_for

pytestmark = pytest.mark.django_db

EXAMPLES = 12
SCRIPT = "<script>hostile()</script>"
ATTRIBUTE_BREAKOUT = '"><img src=x onerror=hostile()>'
FIXED_PAYLOADS = [
    SCRIPT,
    ATTRIBUTE_BREAKOUT,
    "x" * 100_000,
    "word " * 20_000,
    "\x00",
    "null\x00byte",
    "٩(̾●̮̮̃̾•̃̾)۶ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202eevil\u202c \ufeff\u200b Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "0000-00-00",
    "9999-12-31",
    "31/02/2026",
    "",
    "   ",
    "../../../etc/passwd",
    "' OR 1=1; DROP TABLE awards_nomination; --",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%n%x",
]
HIDDEN_PAYLOADS = ["abc", "-1", "99999999999999999999999999", "1.5", "", "\x00", SCRIPT]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(FIXED_PAYLOADS),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=400),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
)
HOSTILE_FILES = [
    ("evidence.pdf", EXE_BYTES),  # a program calling itself a PDF
    ("report.exe", MINIMAL_PDF),  # a PDF with a program's name
    ("<script>hostile()</script>.pdf", MINIMAL_PDF),
    ("../../../etc/passwd", b"root:x:0:0"),
    ("empty.pdf", b""),
    ("page.html", b"<html><script>hostile()</script></html>"),
]

ERROR_SIGNS = ["govuk-error-summary", "govuk-error-message", "There is a problem"]

# The pages whose forms are attacked: (area, person, URL name, arguments).
PAGES = [
    ("accounts", "anonymous", "account_login", "-"),
    ("accounts", "anonymous", "account_signup", "-"),
    ("accounts", "anonymous", "account_reset_password", "-"),
    ("accounts", "provider_a", "accounts:organisation_create", "-"),
    ("accounts", "provider_a", "accounts:organisation_detail", "pk=org_a"),
    ("accounts", "provider_a", "accounts:join_request_create", "pk=org_b"),
    ("accounts", "provider_a", "accounts:join_request_decide", "pk=join_request"),
    ("accounts", "leader", "your_data", "-"),
    ("accounts", "site_staff", "accounts:role_list", "-"),
    ("accounts", "site_staff", "accounts:audit_log", "-"),
    ("accounts", "awards_admin", "notifications:ledger", "-"),
    ("awards", "provider_a", "awards:start", "-"),
    ("awards", "provider_a", "awards:edit_service", "pk=draft"),
    ("awards", "provider_a", "awards:edit_answers", "pk=draft"),
    ("awards", "provider_a", "awards:edit_statement", "pk=draft"),
    ("awards", "provider_a", "awards:edit_consent", "pk=draft"),
    ("awards", "provider_a", "awards:evidence", "pk=draft"),
    ("awards", "provider_a", "awards:images", "pk=winner"),
    ("awards", "provider_a", "awards:check_answers", "pk=draft"),
    ("awards", "provider_a", "awards:withdraw", "pk=draft"),
    ("awards", "awards_admin", "awards:manage_cycle_create", "-"),
    ("awards", "awards_admin", "awards:manage_cycle_edit", "pk=cycle"),
    ("awards", "awards_admin", "awards:manage_category_create", "cycle_pk=cycle"),
    ("awards", "awards_admin", "awards:manage_category_edit", "cycle_pk=cycle,pk=category"),
    ("awards", "awards_admin", "awards:manage_category", "pk=category"),
    ("awards", "awards_admin", "awards:manage_question", "pk=question"),
    ("awards", "awards_admin", "awards:manage_criterion", "pk=criterion"),
    ("awards", "awards_admin", "awards:manage_nominations", "-"),
    ("awards", "awards_admin", "awards:manage_nomination", "pk=entry"),
    ("awards", "awards_admin", "awards:manage_nomination", "pk=draft"),
    ("judging", "judge", "judging:profile", "-"),
    ("judging", "judge", "judging:conflicts", "-"),
    ("judging", "judge", "judging:score", "pk=assignment"),
    ("judging", "judge", "judging:visit", "pk=open_visit"),
    ("judging", "awards_admin", "judging:panel", "pk=panel"),
    ("judging", "chair", "judging:results", "pk=panel"),
    ("judging", "awards_admin", "judging:shortlist", "pk=panel"),
    ("judging", "chair", "judging:reopen_scores", "pk=panel,assignment_pk=scored_assignment"),
    ("judging", "chair", "judging:final", "pk=panel"),
    ("judging", "awards_admin", "judging:judges", "-"),
    ("judging", "awards_admin", "judging:cycle_panels", "pk=cycle"),
    ("judging", "awards_admin", "judging:visit_new", "nomination_pk=winner"),
    ("judging", "awards_admin", "judging:visit_edit", "nomination_pk=winner,pk=visit"),
    ("courses", "anonymous", "courses:register", "-"),
    ("courses", "course_provider", "courses:create", "-"),
    ("courses", "course_provider", "courses:edit", "pk=course_a"),
    ("courses", "assessor", "courses:framework_create", "kind=level"),
    ("courses", "assessor", "courses:framework_edit", "kind=level,pk=framework_level"),
    ("courses", "assessor", "courses:import", "-"),
    ("accreditation", "anonymous", "accreditation:verify", "-"),
    ("accreditation", "course_provider", "accreditation:home", "-"),
    ("accreditation", "course_provider", "accreditation:application", "pk=application"),
    ("accreditation", "assessor", "accreditation:staff", "-"),
    ("accreditation", "assessor", "accreditation:assess", "pk=submitted_application"),
    ("accreditation", "assessor", "accreditation:status", "pk=accreditation"),
    ("accreditation", "assessor", "leaders:verification", "-"),
    ("accreditation", "assessor", "leaders:dashboard", "-"),
    ("accreditation", "leader", "leaders:profile", "-"),
    ("accreditation", "leader", "leaders:completion_new", "-"),
    ("accreditation", "leader", "leaders:completion_correct", "supersedes_pk=awaiting_completion"),
    ("accreditation", "leader", "leaders:appointment_new", "-"),
    ("accreditation", "assessor", "leaders:appointment_change", "pk=dass_appointment"),
]
AREAS = sorted({area for area, *_ in PAGES})


@dataclass
class FormSpec:
    page: str
    method: str
    action: str
    fixed: dict = field(default_factory=dict)  # hidden fields and the submit button: sent as they are
    hidden: list = field(default_factory=list)  # ids a page puts in hidden fields and buttons
    hostile: list = field(default_factory=list)  # fields a person types or chooses in
    files: list = field(default_factory=list)


class FormFinder(HTMLParser):
    """The forms on a page, with the names of their fields."""

    def __init__(self, page):
        super().__init__()
        self.page = page
        self.forms = []
        self.current = None
        self.formactions = []  # buttons of the current form that post it to a URL of their own

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = FormSpec(
                page=self.page,
                method=(attrs.get("method") or "get").upper(),
                action=urljoin(self.page, attrs.get("action") or self.page),
            )
            self.forms.append(self.current)
            self.formactions = []
            return
        if self.current is not None and tag in {"button", "input"} and attrs.get("formaction"):
            self.formactions.append(urljoin(self.page, attrs["formaction"]))
        if self.current is None or not attrs.get("name") or "disabled" in attrs:
            return
        name, kind = attrs["name"], attrs.get("type", "text")
        if tag == "input" and kind == "file":
            self.current.files.append(name)
        elif tag in {"button", "input"} and kind in {"hidden", "submit"}:
            self.current.fixed.setdefault(name, attrs.get("value", ""))
            if name not in {"csrfmiddlewaretoken", "action", *self.current.hidden}:
                self.current.hidden.append(name)
        elif tag in {"input", "textarea", "select"} and name not in self.current.hostile:
            self.current.hostile.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            # The same fields, sent by a button with its own `formaction` (save a draft, or submit).
            for action in self.formactions:
                self.forms.append(replace(self.current, action=action))
            self.formactions = []
            self.current = None


def find_forms(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    finder = FormFinder(url)
    finder.feed(response.content.decode())
    # The sign-out button in the header is on every page; it is not this page's form.
    forms = [form for form in finder.forms if not form.action.endswith("/accounts/logout/")]
    assert forms, f"{url} has no form"
    return forms


def assert_escaped(response, where):
    if "text/html" not in response.get("Content-Type", ""):
        return
    body = response.content.decode()
    assert SCRIPT not in body, f"{where}: script came back unescaped"
    assert ATTRIBUTE_BREAKOUT not in body, f"{where}: markup came back unescaped"


def send(client, form: FormSpec, value_for, *, attack_hidden=False, attack_action=False) -> None:
    data = dict(form.fixed)
    names = form.hostile + (form.hidden if attack_hidden else []) + (["action"] if attack_action else [])
    for name in names:
        data[name] = value_for(name)
    if form.method == "GET":
        where = f"GET {form.action}"
        response = client.get(form.action, data)
    else:
        where = f"POST {form.action}"
        for index, name in enumerate(form.files):
            filename, content = HOSTILE_FILES[(len(data) + index) % len(HOSTILE_FILES)]
            data[name] = SimpleUploadedFile(filename, content)
        response = client.post(form.action, data)
    assert response.status_code < 500, f"{where}: {response.status_code}"
    assert_escaped(response, where)
    if response.status_code == 200 and form.method == "POST":
        body = response.content.decode()
        # An error summary or message on the form, or a "There is a problem" banner.
        assert any(sign in body for sign in ERROR_SIGNS), f"{where}: 200 without an error"
    if response.status_code == 302 and urlsplit(response["Location"]).netloc in {"", "testserver"}:
        # Stored: the page it leads to must show the value escaped.
        assert_escaped(client.get(response["Location"]), f"{where} → {response['Location']}")


def attack(client, form, value_for, **options):
    # Each attack runs in a savepoint that is rolled back: the next one meets
    # the same world, whatever this one stored.
    with transaction.atomic():
        send(client, form, value_for, **options)
        transaction.set_rollback(True)


def constant(payload):
    return lambda _name: payload


@pytest.mark.parametrize("area", AREAS)
def test_hostile_input_never_breaks_a_form(area):
    world = build_world()
    targets = []
    for page_area, person, name, arguments in PAGES:
        if page_area != area:
            continue
        client = Client()
        if world.people[person] is not None:
            client.force_login(world.people[person])
        targets += [(client, form) for form in find_forms(client, url_for(world, name, arguments))]

    for payload in FIXED_PAYLOADS:
        for client, form in targets:
            attack(client, form, constant(payload))
    # Ids a page puts in hidden fields and buttons can be altered, and so can
    # the button that says which of a page's forms was sent.
    for payload in HIDDEN_PAYLOADS:
        for client, form in targets:
            if form.hidden:
                attack(client, form, constant(payload), attack_hidden=True)
            if "action" in form.fixed:
                attack(client, form, constant(payload), attack_action=True)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def random_values(data):
        for client, form in targets:
            attack(client, form, lambda _name: data.draw(HOSTILE_TEXT))

    random_values()
    with_hidden = sum(1 for _, form in targets if form.hidden)
    with_action = sum(1 for _, form in targets if "action" in form.fixed)
    print(
        f"\n{area}: {len(targets)} forms × {len(FIXED_PAYLOADS) + EXAMPLES} hostile inputs each; "
        f"{len(HIDDEN_PAYLOADS)} more with altered ids for {with_hidden} forms and with an altered action "
        f"for {with_action}"
    )
