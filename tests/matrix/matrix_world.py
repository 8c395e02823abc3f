"""The world the permission matrix runs in: the demo data (every role, an open
cycle being judged, last year's judged cycle, courses, accreditations, DASS
leaders) plus the few people and objects the demo does not have: a second
course provider, a conflicted judge, a join request, uploaded files, an issued
credential and a failed email.

`build_world()` returns the people by role name and the URL arguments by
object name, so the matrix table can name objects instead of ids."""

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import MembershipRole, SiteRole
from accounts.models import JoinRequest, Membership, Organisation, RoleGrant, User

from ..factories import MINIMAL_PDF, PNG_BYTES, TOTP_SECRET, make_user

ROLES = [
    "anonymous",
    "provider_a",
    "provider_b",
    "judge",
    "conflicted_judge",
    "chair",
    "awards_admin",
    "assessor",
    "course_provider",
    "other_course_provider",
    "leader",
    "other_leader",
    "media",
]


@dataclass
class World:
    people: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)


def _evidence(nomination, name, content, kind, mimetype):
    from awards.models import EvidenceFile

    evidence = EvidenceFile(
        nomination=nomination, original_name=name, kind=kind, mimetype=mimetype, size=len(content), description=name
    )
    evidence.file.save(f"evidence/matrix-{nomination.pk}-{name}", ContentFile(content), save=False)
    evidence.save()
    return evidence


def build_world() -> World:
    from accreditation.models import Accreditation, Application
    from accreditation.models import EvidenceFile as ApplicationEvidence
    from awards import domain as awards_domain
    from awards.models import Cycle, Nomination
    from courses import open_data
    from courses.models import Course, FrameworkLevel, ImportJob
    from judging import domain as judging
    from judging.enums import ConflictType
    from judging.models import Assignment, CalibrationExample, JudgeInvitation, SiteVisit
    from leaders import credentials
    from leaders.enums import CompletionState
    from leaders.models import Completion
    from notifications.models import OutboundEmail
    from regulator.models import DirectoryImport

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed with the process
    open_data.publish()  # the demo's first dump, which seed_demo makes once its transaction commits
    by_email = User.objects.in_bulk(field_name="email")
    riverside = Organisation.objects.get(name="Riverside Care Homes Ltd")
    meadow = Organisation.objects.get(name="Meadow View Community Care Co-operative")
    pennines = Organisation.objects.get(name="University of the Pennines")

    course_a = Course.objects.get(applications__pk=Application.objects.order_by("pk").first().pk)
    people = {
        "anonymous": None,
        "provider_a": by_email["provider@demo.test"],
        "provider_b": by_email["provider2@demo.test"],
        "judge": by_email["judge@demo.test"],
        "conflicted_judge": by_email["amira.judge@demo.test"],
        "chair": by_email["chair@demo.test"],
        "awards_admin": by_email["awards@demo.test"],
        "assessor": by_email["academy@demo.test"],
        "course_provider": by_email["courses@demo.test"],
        "other_course_provider": make_user(
            email="pennines@demo.test", organisation=pennines, org_role=MembershipRole.ADMIN
        ),
        "leader": by_email["leader@demo.test"],
        "other_leader": by_email["dass.verified@demo.test"],
        "media": by_email["media@demo.test"],
    }
    people["site_staff"] = by_email["admin@demo.test"]  # Django staff: grants site roles
    # The demo's extra judges have no authenticator yet; without one the MFA
    # middleware would send the conflicted judge to set it up on every page.
    Authenticator.objects.create(
        user=people["conflicted_judge"], type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)}
    )
    assert course_a.provider.memberships.filter(user=people["course_provider"]).exists()

    # Awards: provider A's draft and its entry being judged; provider B's entry.
    cycle = Cycle.objects.filter(publication__isnull=True).get()
    past = Cycle.objects.filter(publication__isnull=False).get()
    draft = Nomination.objects.get(organisation=riverside, cycle=cycle, state="draft")
    entry = Nomination.objects.get(organisation=riverside, cycle=cycle, state="eligible")
    entry_b = Nomination.objects.get(organisation=meadow, cycle=cycle)
    draft_evidence = _evidence(draft, "plan.pdf", MINIMAL_PDF, "pdf", "application/pdf")
    entry_evidence = entry.evidence.get()
    category = entry.category
    panel = category.panel

    # Judging: the judge is assigned to provider A's entry; the conflicted judge
    # declared a conflict with provider A, which took her off it.
    assignment, _ = Assignment.objects.get_or_create(nomination=entry, judge=people["judge"])
    Assignment.objects.get_or_create(nomination=entry, judge=people["conflicted_judge"])
    judging.declare_conflict(people["conflicted_judge"], riverside, kind=ConflictType.EMPLOYMENT)
    # Another judge's submitted scores on the same entry, which the chair may reopen.
    scored_assignment = Assignment.objects.create(
        nomination=entry,
        judge=make_user(email="scorer@example.org", roles=[SiteRole.JUDGE]),
        submitted_at=timezone.now(),
    )
    invitation = JudgeInvitation.objects.create(email="invited-judge@example.org", invited_by=people["awards_admin"])

    # Last year's winner was provider A's, with a consented photograph.
    winner = Nomination.objects.get(cycle=past, state="winner")
    Nomination.objects.filter(pk=winner.pk).update(organisation=riverside)
    winner_image = _evidence(winner, "residents.png", PNG_BYTES, "png", "image/png")
    awards_domain.set_image_publication(
        people["provider_a"], winner_image, publish=True, caption="Residents in the garden", people_consent=True
    )
    visit = SiteVisit.objects.get(nomination=winner)
    # A visit to provider A's entry that happened yesterday, report not yet written.
    open_visit = SiteVisit.objects.create(
        nomination=entry,
        starts_at=timezone.now() - timedelta(days=1, hours=2),
        ends_at=timezone.now() - timedelta(days=1),
        address="1 High Street",
        provider_contact_name="Registered manager",
        provider_contact_email="manager@riverside.example",
    )
    open_visit.judges.set([people["judge"], people["chair"]])

    # Accounts: a pending request to join provider A; a colleague in provider A.
    applicant = make_user(email="applicant@example.org")
    join_request = JoinRequest.objects.create(user=applicant, organisation=riverside, message="I run Rose House.")
    colleague = make_user(email="colleague@demo.test", organisation=riverside)
    judge_grant = RoleGrant.objects.get(user=people["judge"], role=SiteRole.JUDGE, revoked_at__isnull=True)

    # Accreditation: course A's application (accredited with a condition), with evidence.
    application = course_a.applications.order_by("pk").first()
    accreditation = Accreditation.objects.get(application=application)
    condition = accreditation.conditions.get()
    application_evidence = ApplicationEvidence(
        application=application, original_name="handbook.pdf", mimetype="application/pdf", size=len(MINIMAL_PDF)
    )
    application_evidence.file.save("accreditation/matrix-handbook.pdf", ContentFile(MINIMAL_PDF), save=False)
    application_evidence.save()

    # Leaders: the leader's own completion awaiting verification (with a
    # certificate) and a verified one with a credential.
    awaiting = Completion.objects.get(leader=people["leader"], course=course_a)
    awaiting.certificate.save("certificates/matrix.pdf", ContentFile(MINIMAL_PDF), save=False)
    awaiting.certificate_name = "certificate.pdf"
    awaiting.certificate_mimetype = "application/pdf"
    awaiting.save()
    second_course = Course.objects.filter(provider=course_a.provider, accreditations__isnull=False).exclude(
        pk=course_a.pk
    )[0]
    verified = Completion.objects.create(
        leader=people["leader"],
        course=second_course,
        completed_on=max(second_course.accredited_from, timezone.localdate()),
        state=CompletionState.VERIFIED,
        decided_by=people["assessor"],
        decided_at=timezone.now(),
    )
    credential = credentials.issue(people["leader"], verified)
    from courses.domain import material_values
    from courses.models import CourseChange
    from leaders import domain as leaders
    from leaders.models import DassAppointment

    course_change = CourseChange.objects.create(
        course=course_a,
        proposed={**material_values(course_a, course_a.levels.all(), course_a.domains.all()), "duration_hours": "2"},
        summary="Hours: 36 → 2",
        requested_by=people["course_provider"],
        requested_at=timezone.now(),
    )
    import_job = ImportJob.objects.create(
        file="imports/matrix.csv", original_name="courses.csv", uploaded_by=people["assessor"], state="done"
    )
    # A background export the awards administrator asked for: only its owner sees it.
    from core.models import ExportJob

    export_job = ExportJob.objects.create(
        owner=people["awards_admin"], kind="awards.nominations", format="csv", filename="nominations.csv", state="done"
    )
    export_job.file.save("exports/matrix.csv", ContentFile(b"reference\r\n"), save=True)
    failed_email = OutboundEmail.objects.create(
        to="someone@example.org", template="test", subject="Test", text_body="Hello", state="failed"
    )
    # Webhooks: provider A's endpoint, with one delivery of last year's results.
    from webhooks.models import Delivery, Endpoint, Event

    now = timezone.now()
    webhook_endpoint = Endpoint.objects.create(
        organisation=riverside, url="https://93.184.216.34/hooks", secret="whsec_matrix", sends_results=True
    )
    webhook_delivery = Delivery.objects.create(
        event=Event.objects.create(
            type="results.announced", payload={}, object_type="awards.cycle", object_id=str(past.pk), created_at=now
        ),
        endpoint=webhook_endpoint,
        state="delivered",
        attempts=1,
        last_status_code=200,
        created_at=now,
        next_attempt_at=now,
    )

    objects = {
        "org_a": riverside.pk,
        "org_b": meadow.pk,
        "join_request": join_request.pk,
        "colleague_membership": Membership.objects.get(user=colleague).pk,
        "judge_grant": judge_grant.pk,
        "draft": draft.pk,
        "draft_evidence": draft_evidence.pk,
        "entry": entry.pk,
        "entry_b": entry_b.pk,
        "entry_evidence": entry_evidence.pk,
        "cycle": cycle.pk,
        "past_cycle": past.pk,
        "category": category.pk,
        "question": category.questions.first().pk,
        "criterion": category.criteria.first().pk,
        "panel": panel.pk,
        "assignment": assignment.pk,
        "scored_assignment": scored_assignment.pk,
        "invitation_token": invitation.token,
        "winner": winner.pk,
        "winner_image": winner_image.pk,
        "visit": visit.pk,
        "open_visit": open_visit.pk,
        "course_a": course_a.pk,
        "framework_level": FrameworkLevel.objects.first().pk,
        "import_job": import_job.pk,
        "export_job": export_job.pk,
        "application": application.pk,
        "submitted_application": Application.objects.get(state="submitted").pk,
        "application_evidence": application_evidence.pk,
        "accreditation": accreditation.pk,
        "accreditation_number": accreditation.number,
        "condition": condition.pk,
        "awaiting_completion": awaiting.pk,
        "verified_completion": verified.pk,
        "credential_uuid": credential.uuid,
        "accreditation_credential_uuid": accreditation.credentials.get().uuid,
        "award_credential_uuid": winner.award_credentials.get().uuid,
        "failed_email": failed_email.pk,
        "webhook_endpoint": webhook_endpoint.pk,
        "webhook_delivery": webhook_delivery.pk,
        "course_change": course_change.pk,
        "dass_appointment": DassAppointment.objects.order_by("pk").first().pk,
        "check_token": leaders.check_token(verified),
        "regulator_import": DirectoryImport.objects.order_by("pk").first().pk,
        "calibration_example": CalibrationExample.objects.filter(category=category).order_by("pk").first().pk,
    }
    return World(people=people, objects=objects)


MISSING_ID = 987654


def url_for(world, name, arguments, *, missing=False) -> str:
    """The URL for a row; with `missing`, every object id is one that does not exist."""
    kwargs = {}
    if arguments != "-":
        for pair in arguments.split(","):
            key, value = pair.split("=")
            value = world.objects.get(value, value)
            kwargs[key] = MISSING_ID if missing and isinstance(value, int) else value
    return reverse(name, kwargs=kwargs)
