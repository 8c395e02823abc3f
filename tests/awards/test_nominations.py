"""Provider nominations: drafting, evidence, deadlines, submission and withdrawal."""

import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards import domain
from awards.enums import NominationState
from awards.models import Answer, EvidenceFile, Nomination
from core.errors import DomainError
from core.uploads import MB

from ..factories import (
    EXE_BYTES,
    JPEG_BYTES,
    MINIMAL_PDF,
    MP4_BYTES,
    PNG_BYTES,
    docx_bytes,
    make_category,
    make_cycle,
    make_nomination,
    make_provider,
)

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def setting():
    cycle = make_cycle()
    category = make_category(cycle, questions=[("Why is it outstanding?", 5), ("Who helped?", 100)])
    user, organisation = make_provider("Riverside Care")
    return cycle, category, user, organisation


def test_start_nomination_from_the_dashboard(client, setting):
    cycle, category, user, organisation = setting
    client.force_login(user)
    dashboard = client.get(reverse("awards:dashboard"))
    assert "Start a nomination" in dashboard.content.decode()
    response = client.post(reverse("awards:start"), {"organisation": organisation.pk, "category": category.pk})
    nomination = Nomination.objects.get()
    assert response["Location"] == reverse("awards:nomination", args=[nomination.pk])
    assert (nomination.state, nomination.organisation, nomination.created_by) == ("draft", organisation, user)
    page = client.get(response["Location"]).content.decode()
    assert page.count("Not yet started") == 5


def test_category_closed_to_a_sector_refuses_to_start(client, setting):
    cycle, _, user, organisation = setting
    community_only = make_category(cycle, "User-Led Organisation", eligible_sectors=["community"])
    client.force_login(user)
    response = client.post(reverse("awards:start"), {"organisation": organisation.pk, "category": community_only.pk})
    assert "Private sector organisations cannot enter User-Led Organisation" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_word_limit_is_enforced_on_the_server_and_the_draft_kept(client, setting):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    first, second = category.questions.all()
    client.force_login(user)
    url = reverse("awards:edit_answers", args=[nomination.pk])
    client.post(url, {f"question_{first.pk}": "one two three", f"question_{second.pk}": "kept"})
    assert Answer.objects.get(question=first).text == "one two three"

    response = client.post(url, {f"question_{first.pk}": "one two three four five six", f"question_{second.pk}": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "must be 5 words or fewer – you have 6 words" in html
    assert 'data-maxwords="5"' in html
    # Nothing of the refused post was saved.
    assert Answer.objects.get(question=first).text == "one two three"
    assert Answer.objects.get(question=second).text == "kept"


def test_domain_refuses_over_long_answers_too(setting):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    question = category.questions.first()
    with pytest.raises(DomainError, match="5 words or fewer"):
        domain.save_answers(user, nomination, {question.pk: "a b c d e f"})
    assert not Answer.objects.filter(question=question).exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", MINIMAL_PDF, "pdf"),
        ("photo.PNG", PNG_BYTES, "png"),
        ("photo.jpeg", JPEG_BYTES, "jpeg"),
        ("clip.mp4", MP4_BYTES, "mp4"),
        ("letter.docx", docx_bytes(), "docx"),
    ],
)
def test_allowed_evidence_is_accepted(client, setting, name, content, kind):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    client.force_login(user)
    response = client.post(
        reverse("awards:evidence", args=[nomination.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.original_name, evidence.kind, evidence.size) == (name, kind, len(content))
    assert evidence.file.name.startswith(f"evidence/{category.cycle_id}/")
    assert name not in evidence.file.name  # the stored name never comes from the uploader
    with evidence.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.pdf", EXE_BYTES, "The selected file must be a PDF, Word (DOCX), JPEG, PNG, MP4"),
        ("report.png", MINIMAL_PDF, "The file’s name ends in .png but it is a PDF"),
        ("script.html", b"<script>alert(1)</script>", "The selected file must be a PDF"),
        ("fake.docx", b"PK\x03\x04not really a zip", "The selected file must be a PDF"),
        ("empty.pdf", b"", "The submitted file is empty"),
    ],
)
def test_refused_evidence_is_not_saved(client, setting, name, content, message):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    client.force_login(user)
    response = client.post(
        reverse("awards:evidence", args=[nomination.pk]), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert EvidenceFile.objects.count() == 0


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "/abs/x.pdf", ".hidden.pdf"])
def test_path_traversal_names_are_refused_by_the_domain(setting, name):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    # A plain File keeps the name exactly as given (an UploadedFile would
    # already have cut it), as a future import or API might pass it.
    upload = File(io.BytesIO(MINIMAL_PDF), name=name)
    with pytest.raises(DomainError, match="The file name must be a plain name, without folders"):
        domain.add_evidence(user, nomination, upload)
    assert EvidenceFile.objects.count() == 0


def test_path_traversal_over_http_never_leaves_the_storage_folder(client, setting, settings):
    """Django's multipart parser already cuts an uploaded name to its last
    part; the stored name is random in any case."""
    from pathlib import Path

    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    client.force_login(user)
    client.post(
        reverse("awards:evidence", args=[nomination.pk]),
        {"file": SimpleUploadedFile("../../../../tmp/evil.pdf", MINIMAL_PDF)},
    )
    evidence = EvidenceFile.objects.get()
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"]).resolve()
    assert evidence.original_name == "evil.pdf"
    assert Path(evidence.file.path).resolve().is_relative_to(root)
    assert not Path("/tmp/evil.pdf").exists()


def test_oversized_file_is_refused(client, setting):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    client.force_login(user)
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (20 * MB))
    response = client.post(reverse("awards:evidence", args=[nomination.pk]), {"file": big})
    assert "The selected file must be smaller than 20 MB" in response.content.decode()
    assert EvidenceFile.objects.count() == 0


def test_nomination_total_is_limited_to_100_mb(client, setting):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    for n in range(5):  # 5 × 19.9 MB already stored: 99.5 MB
        EvidenceFile.objects.create(
            nomination=nomination,
            file=f"evidence/x/{n}.pdf",
            original_name=f"{n}.pdf",
            kind="pdf",
            mimetype="application/pdf",
            size=int(19.9 * MB),
        )
    client.force_login(user)
    one_mb = SimpleUploadedFile("more.pdf", b"%PDF-1.4\n" + b"0" * MB)
    response = client.post(reverse("awards:evidence", args=[nomination.pk]), {"file": one_mb})
    assert "A nomination can have at most 100 MB of evidence: 0.5 MB is left" in response.content.decode()
    assert EvidenceFile.objects.count() == 5


def test_remove_evidence(client, setting, run_on_commit):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user)
    evidence = EvidenceFile.objects.get()
    stored = evidence.file.name
    client.force_login(user)
    with run_on_commit():
        response = client.post(reverse("awards:evidence_remove", args=[nomination.pk, evidence.pk]))
    assert response.status_code == 302
    assert not EvidenceFile.objects.exists()
    assert evidence.file.storage.exists(stored) is False


def test_evidence_download_is_an_attachment_with_a_safe_name(client, setting):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    domain.add_evidence(user, nomination, SimpleUploadedFile('Annual "report" é.pdf', MINIMAL_PDF))
    evidence = EvidenceFile.objects.get()
    client.force_login(user)
    response = client.get(reverse("awards:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Annual 'report' _.pdf\"; filename*=UTF-8''Annual%20%27report%27%20%C3%A9.pdf"
    )
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_task_list_tracks_completion_and_check_answers_submits(client, setting, run_on_commit):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user)
    client.force_login(user)
    page = client.get(reverse("awards:nomination", args=[nomination.pk])).content.decode()
    assert page.count("Completed") == 5
    with run_on_commit():
        response = client.post(reverse("awards:check_answers", args=[nomination.pk]))
    assert response["Location"] == reverse("awards:submitted", args=[nomination.pk])
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SUBMITTED
    assert nomination.reference == f"SCA{category.cycle.year % 100:02d}-00001"
    confirmation = client.get(response["Location"]).content.decode()
    assert nomination.reference in confirmation
    assert mail.outbox[-1].to == [user.email]
    assert mail.outbox[-1].subject == f"Nomination {nomination.reference} submitted: {nomination.service_name}"
    # Locked: editing is refused and nothing changes.
    client.post(
        reverse("awards:edit_service", args=[nomination.pk]), {"service_name": "Changed", "service_address": "x"}
    )
    nomination.refresh_from_db()
    assert nomination.service_name != "Changed"
    events = [e.action for e in nomination_events(nomination)]
    assert events == ["evidence.added", "nomination.submitted"]


def nomination_events(nomination):
    from accounts.models import AuditEvent

    return AuditEvent.objects.filter(object_type="awards.nomination", object_id=str(nomination.pk)).order_by("at", "pk")


def test_incomplete_nomination_is_not_submitted(client, setting):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, complete=False)
    client.force_login(user)
    response = client.post(reverse("awards:check_answers", args=[nomination.pk]))
    html = response.content.decode()
    assert "Your nomination has not been submitted" in html
    assert "Enter the name of the service" in html
    assert "Upload at least one evidence file" in html
    nomination.refresh_from_db()
    assert (nomination.state, nomination.reference) == ("draft", "")


def test_references_are_sequential_per_cycle(setting):
    _, category, user, organisation = setting
    first = domain.submit_nomination(user, make_nomination(category, organisation, user))
    second = domain.submit_nomination(user, make_nomination(category, organisation, user))
    assert [first.reference[-5:], second.reference[-5:]] == ["00001", "00002"]


class TestCloseInstantAtClockChange:
    """Clocks go forward at 01:00 GMT on 28 March 2027: the close instant is
    exactly then (01:00 GMT, shown as 02:00 BST)."""

    CLOSE = datetime(2027, 3, 28, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))

    @pytest.fixture
    def nominations(self):
        cycle = make_cycle(opens=self.CLOSE - timedelta(days=30), closes=self.CLOSE)
        category = make_category(cycle)
        user, organisation = make_provider("Riverside Care")
        return user, [make_nomination(category, organisation, user) for _ in range(3)]

    def test_close_is_shown_in_uk_time(self):
        assert timezone.localtime(self.CLOSE).strftime("%H:%M %Z") == "02:00 BST"
        assert timezone.localtime(self.CLOSE - timedelta(seconds=1)).strftime("%H:%M:%S %Z") == "00:59:59 GMT"

    def test_one_second_before_is_accepted(self, nominations):
        user, (nomination, *_) = nominations
        domain.submit_nomination(user, nomination, now=self.CLOSE - timedelta(seconds=1))
        nomination.refresh_from_db()
        assert nomination.state == NominationState.SUBMITTED

    def test_one_second_after_is_refused_and_the_draft_kept(self, client, nominations):
        user, (nomination, *_) = nominations
        with time_machine.travel(self.CLOSE + timedelta(seconds=1), tick=False):
            client.force_login(user)
            response = client.post(reverse("awards:check_answers", args=[nomination.pk]))
        html = response.content.decode()
        assert "Nominations closed at 2am on 28 March 2027. Your draft has been kept." in html
        nomination.refresh_from_db()
        assert (nomination.state, nomination.service_name) == ("draft", "Riverside Care – Rose House")
        assert nomination.answers.count() == 1 and nomination.evidence.count() == 1

    def test_an_extension_lets_one_nomination_through_and_no_other(self, awards_admin, nominations):
        user, (extended, other, _) = nominations
        with time_machine.travel(self.CLOSE - timedelta(hours=1), tick=False):
            domain.grant_extension(awards_admin, extended, until=self.CLOSE + timedelta(days=2), reason="Flooding")
        later = self.CLOSE + timedelta(days=1)
        domain.submit_nomination(user, extended, now=later)
        with pytest.raises(DomainError, match="Nominations closed"):
            domain.submit_nomination(user, other, now=later)
        extended.refresh_from_db()
        other.refresh_from_db()
        assert (extended.state, other.state) == ("submitted", "draft")
        assert (extended.extension_granted_by, extended.extension_reason) == (awards_admin, "Flooding")
        with pytest.raises(DomainError, match="Nominations closed"):
            domain.submit_nomination(
                user,
                make_nomination(extended.category, extended.organisation, user),
                now=self.CLOSE + timedelta(days=3),
            )


def test_withdraw_before_results(client, setting, run_on_commit):
    _, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user)
    domain.submit_nomination(user, nomination)
    client.force_login(user)
    url = reverse("awards:withdraw", args=[nomination.pk])
    refused = client.post(url, {"reason": "Merged"})
    assert "Confirm you understand" in refused.content.decode()
    with run_on_commit():
        client.post(url, {"reason": "Service merged", "confirm": "on"})
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN
    assert "withdrawn" in mail.outbox[-1].subject


def test_withdraw_refused_after_results(setting):
    cycle, category, user, organisation = setting
    nomination = make_nomination(category, organisation, user, state=NominationState.FINALIST)
    cycle.results_approved_at = cycle.final_panel
    cycle.save()
    with pytest.raises(DomainError, match="once the results have been announced"):
        domain.withdraw_nomination(user, nomination, now=cycle.winners_announced)
