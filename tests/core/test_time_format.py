"""One way of writing times everywhere: '5:30pm on 3 December 2026', in UK
time. Templates and code that people read never format a time themselves."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import Context, Template

from core.formats import uk_clock, uk_datetime, uk_time

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
# Django date-format characters that write a time of day or a time zone.
TIME_CHARACTERS = set("aAfgGhHisuPeOTUcrZ")
# Code whose times are for machines, not people: CSV exports (sortable in a
# spreadsheet), signed credentials (W3C timestamps), audit record strings.
MACHINE_READABLE = {
    "awards/reports.py",
    "judging/reports.py",
    "leaders/credentials.py",
    "core/credentials.py",
    "regulator/importer.py",  # date formats it reads from the directory file
    "accounts/models.py",
}
APPS = [
    "accounts",
    "accreditation",
    "api",
    "awards",
    "core",
    "courses",
    "judging",
    "leaders",
    "notifications",
    "pages",
    "regulator",
    "webhooks",
]


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [(17, 30, "5:30pm"), (6, 0, "6am"), (8, 13, "8:13am"), (12, 0, "midday"), (0, 0, "midnight"), (12, 5, "12:05pm")],
)
def test_uk_clock(hour, minute, words):
    assert uk_clock(hour, minute) == words


def test_uk_datetime_is_in_uk_time():
    # 17:30 UTC in December is 5:30pm in London; in July 6am London is 5am UTC.
    assert uk_datetime(datetime(2026, 12, 3, 17, 30, tzinfo=UTC)) == "5:30pm on 3 December 2026"
    assert uk_datetime(datetime(2026, 7, 7, 5, 0, tzinfo=UTC)) == "6am on 7 July 2026"
    assert uk_time(datetime(2026, 7, 7, 7, 13, tzinfo=UTC)) == "8:13am"


def test_template_filters():
    rendered = Template("{{ when|uk_datetime }}|{{ when|uk_time }}|{{ nothing|uk_datetime }}").render(
        Context({"when": datetime(2026, 12, 3, 17, 30, tzinfo=UTC), "nothing": None})
    )
    assert rendered == "5:30pm on 3 December 2026|5:30pm|"


def raw_time_formats(text: str) -> list[str]:
    found = []
    for match in re.finditer(r"\|\s*date\s*:\s*\"([^\"]*)\"|\|\s*date\s*:\s*'([^']*)'", text):
        fmt = match.group(1) if match.group(1) is not None else match.group(2)
        if set(re.sub(r"\\.", "", fmt)) & TIME_CHARACTERS:
            found.append(match.group(0))
    found += re.findall(r"\|\s*time\b[^}]*", text)
    found += re.findall(r"\{%\s*now\s[^%]*%\}", text)
    # "Visit on 6am on 7 July": a time must be "at" it, not "on" it.
    found += re.findall(r"\bon \{\{[^}]*\|\s*uk_datetime", text)
    return found


def test_no_template_formats_a_time_itself():
    offenders = {
        str(path.relative_to(ROOT)): raw_time_formats(path.read_text())
        for path in TEMPLATES.rglob("*")
        if path.suffix in (".html", ".txt") and raw_time_formats(path.read_text())
    }
    assert offenders == {}


def test_the_check_catches_raw_time_formats():
    assert raw_time_formats('{{ at|date:"j M Y H:i" }}') == ['|date:"j M Y H:i"']
    assert raw_time_formats("{{ at|time }}") == ["|time "]
    assert raw_time_formats('{{ at|date:"g:ia" }} on') == ['|date:"g:ia"']
    assert raw_time_formats("Visit on {{ visit.starts_at|uk_datetime }}") != []
    assert raw_time_formats('{{ day|date:"j F Y" }} at {{ at|uk_datetime }}') == []


def test_no_code_formats_a_time_for_people_itself():
    # "%H:%M", "%I:%M%p", "%-I:%M": a clock time written for a person (file
    # names such as "%Y%m%d%H%M%S" are not).
    pattern = re.compile(r"%-?[HI]:%M|%p")
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            if "migrations" in relative or relative in MACHINE_READABLE or relative == "core/formats.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if pattern.search(line) and "input_formats" not in line and "format=" not in line:
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
