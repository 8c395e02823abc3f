"""Moving leaders' models into their own app loses nothing: a database
populated before the move reads the same after it (leaders 0001 and 0002)."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import AuditEvent
from leaders.enums import CompletionState
from leaders.models import Completion, DassAppointment, IssuedCredential, LeaderProfile

from ..factories import OrganisationFactory, make_course, make_course_provider, make_user

BEFORE = [("courses", "0006_course_change_withdrawn"), ("accreditation", "0008_credential_status"), ("leaders", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


@pytest.mark.django_db(transaction=True)
def test_records_made_before_the_move_read_the_same_after_it():
    leader = make_user(email="moved@example.org", full_name="Moved Leader")
    _, provider = make_course_provider()
    course = make_course(provider)
    council = OrganisationFactory(name="Northshire County Council")
    ContentType.objects.get_for_model(Completion)  # exists before the move, under its old app
    latest = [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes()]

    old = _migrate(BEFORE)
    OldCompletion = old.get_model("courses", "Completion")
    profile = old.get_model("courses", "LeaderProfile").objects.create(
        user_id=leader.pk, job_title="Director", employer_id=council.pk, sector="public"
    )
    completion = OldCompletion.objects.create(
        leader_id=leader.pk, course_id=course.pk, completed_on=date(2024, 5, 1), state="verified"
    )
    correction = OldCompletion.objects.create(
        leader_id=leader.pk, course_id=course.pk, completed_on=date(2024, 5, 2), supersedes_id=completion.pk
    )
    appointment = old.get_model("accreditation", "DassAppointment").objects.create(
        leader_id=leader.pk,
        local_authority_id=council.pk,
        appointed_on=date(2023, 1, 9),
        deadline=date(2026, 1, 9),
        qualifying_completion_id=completion.pk,
        completion_verified=True,
    )
    credential = old.get_model("accreditation", "IssuedCredential").objects.create(
        completion_id=completion.pk, document={"id": "urn:uuid:x"}, status_index=7
    )
    old.get_model("accounts", "AuditEvent").objects.create(
        at=timezone.now(), action="completion.verified", object_type="courses.completion", object_id=str(completion.pk)
    )

    _migrate(latest)

    assert LeaderProfile.objects.get(pk=profile.pk).job_title == "Director"
    moved = Completion.objects.get(pk=completion.pk)
    assert (moved.leader, moved.course, moved.completed_on, moved.state) == (
        leader,
        course,
        date(2024, 5, 1),
        CompletionState.VERIFIED,
    )
    assert list(moved.corrections.values_list("pk", flat=True)) == [correction.pk]
    assert DassAppointment.objects.get(pk=appointment.pk).qualifying_completion == moved
    assert IssuedCredential.objects.get(pk=credential.pk).completion == moved
    assert moved.credential.status_index == 7
    assert list(AuditEvent.objects.values_list("object_type", "object_id")) == [("leaders.completion", str(moved.pk))]
    assert ContentType.objects.get_for_model(Completion).app_label == "leaders"
    assert not ContentType.objects.filter(app_label="courses", model="completion").exists()
