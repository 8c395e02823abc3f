"""What the token-authenticated endpoints answer and accept, field by field:
what the matching staff or provider page shows, no more."""

from django.urls import reverse
from rest_framework import serializers

from accounts.enums import Region, Sector
from awards.enums import NominationState
from courses.enums import DeliveryMode
from courses.models import COURSE_REGIONS, CourseState
from leaders.enums import ComplianceStatus

from .serializers import ErrorSerializer


class IdName(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FieldErrorsSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Each field's problems, as the page's error summary gives them",
    )


# Awards administrators -----------------------------------------------------------------


class NominationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField(allow_blank=True)
    cycle = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=NominationState.choices)
    state_label = serializers.CharField(source="get_state_display")
    organisation = serializers.SerializerMethodField()
    service_name = serializers.CharField(allow_blank=True)

    def get_cycle(self, nomination) -> dict:
        return {"id": nomination.cycle_id, "year": nomination.cycle.year}

    def get_category(self, nomination) -> IdName:
        return {"id": nomination.category_id, "name": nomination.category.name}

    def get_organisation(self, nomination) -> dict:
        organisation = nomination.organisation
        return {
            "id": nomination.organisation_id,
            "name": organisation.name,
            "sector": organisation.sector,
            "region": organisation.region,
        }


class ExportQueuedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    state = serializers.CharField()
    status = serializers.URLField(help_text="Ask here until the file is ready")


class ExportRowsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    columns = serializers.ListField(child=serializers.CharField())
    results = serializers.ListField(child=serializers.DictField(), help_text="One object per row, keyed by column")


class ExportJobSerializer(serializers.Serializer):
    job = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    format = serializers.CharField()
    state = serializers.CharField()
    rows = serializers.IntegerField(source="row_count")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    download = serializers.URLField(allow_null=True, help_text="Set once the file may be downloaded")
    withheld = serializers.CharField(allow_blank=True, help_text="Why the file may no longer be downloaded")


class AdminResultSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    reference = serializers.CharField()
    award = serializers.CharField()
    award_label = serializers.CharField()
    service = serializers.CharField(allow_blank=True)
    organisation = serializers.CharField(allow_blank=True)
    citation = serializers.CharField(allow_blank=True)
    final_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class CategorySignOffSerializer(serializers.Serializer):
    category = IdName()
    signed_off = serializers.BooleanField()
    signed_off_at = serializers.DateTimeField(allow_null=True)
    no_award = serializers.BooleanField()
    results = AdminResultSerializer(many=True, help_text="Empty until the panel signed off")


class CycleResultsSerializer(serializers.Serializer):
    cycle = IdName()
    approved = serializers.BooleanField(help_text="The administrators approved the results")
    announced_at = serializers.DateTimeField(allow_null=True)
    categories = CategorySignOffSerializer(many=True)


# Academy staff --------------------------------------------------------------------------


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    leader = serializers.SerializerMethodField()
    local_authority = serializers.SerializerMethodField()
    kind = serializers.CharField()
    appointed_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField()
    status = serializers.ChoiceField(choices=ComplianceStatus.choices)
    status_label = serializers.SerializerMethodField()

    def get_leader(self, appointment) -> dict:
        return {"id": appointment.leader_id, "email": appointment.leader.email, "name": appointment.leader.full_name}

    def get_local_authority(self, appointment) -> dict:
        authority = appointment.local_authority
        return {"id": authority.pk, "name": authority.name, "region": authority.region}

    def get_status_label(self, appointment) -> str:
        return ComplianceStatus(appointment.status).label


# Course providers -----------------------------------------------------------------------


class WaitingCompletionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    leader_email = serializers.EmailField(source="leader.email")
    leader_name = serializers.CharField(source="leader.full_name", allow_blank=True)
    course = serializers.SerializerMethodField()
    completed_on = serializers.DateField()
    recorded_at = serializers.DateTimeField(source="created_at")

    def get_course(self, completion) -> dict | None:
        course = completion.course
        return None if course is None else {"id": course.pk, "title": course.title}


DECISIONS = ["verify", "reject"]


class CompletionDecisionSerializer(serializers.Serializer):
    """One completion and what to do with it. Name it by its id (from the
    list of completions waiting), or by the leader's email address, the
    course and the completion date, as a learning system knows it."""

    id = serializers.IntegerField(required=False, min_value=1, max_value=10**18 - 1)
    leader_email = serializers.EmailField(required=False, max_length=254)
    course = serializers.IntegerField(required=False, min_value=1, max_value=10**18 - 1)
    completed_on = serializers.DateField(required=False)
    decision = serializers.ChoiceField(choices=DECISIONS)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, help_text="Needed to reject")

    def validate(self, data):
        if data.get("id") is None and not all(data.get(k) for k in ("leader_email", "course", "completed_on")):
            raise serializers.ValidationError("Give the completion's id, or the leader's email, course and date")
        return data


class CompletionBatchSerializer(serializers.Serializer):
    completions = CompletionDecisionSerializer(many=True, min_length=1, max_length=500)


class CompletionOutcomeSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's place in the list sent, from 0")
    ok = serializers.BooleanField()
    id = serializers.IntegerField(allow_null=True, help_text="The completion, when one was found")
    state = serializers.CharField(allow_blank=True, help_text="Its state after the decision")
    error = serializers.CharField(allow_blank=True)


class CompletionBatchResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    results = CompletionOutcomeSerializer(many=True)


class CompletionBatchRefusedSerializer(ErrorSerializer):
    errors = serializers.JSONField(required=False, help_text="The request's problems, item by item")
    results = CompletionOutcomeSerializer(many=True, required=False, help_text="Each item's outcome: none was made")


class ProviderCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    provider = serializers.SerializerMethodField()
    title = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=CourseState.choices)
    levels = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    sectors = serializers.ListField(child=serializers.CharField())
    delivery_mode = serializers.CharField()
    duration_hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    cost = serializers.DecimalField(max_digits=8, decimal_places=2)
    region = serializers.CharField()
    designed_for_social_care = serializers.BooleanField()
    url = serializers.CharField(allow_blank=True)
    external_id = serializers.CharField(allow_null=True, help_text="The provider's own id for the course")
    accreditation_status = serializers.CharField(allow_blank=True)
    pending_change = serializers.SerializerMethodField(
        help_text="A change to what the accreditation stands for, waiting for the Skills Academy"
    )
    updated_at = serializers.DateTimeField()

    def get_provider(self, course) -> IdName:
        return {"id": course.provider_id, "name": course.provider.name}

    def get_levels(self, course) -> list[str]:
        return [level.slug for level in course.levels.all()]

    def get_domains(self, course) -> list[str]:
        return [domain.slug for domain in course.domains.all()]

    def get_pending_change(self, course) -> str | None:
        # Just saved: the request the save made (courses.domain.save_course);
        # otherwise the one waiting (prefetched as `pending`).
        change = getattr(course, "pending_change", None)
        if change is None and getattr(course, "pending", None):
            change = course.pending[0]
        return change.summary if change is not None else None


class CourseWriteSerializer(serializers.Serializer):
    """The course form's fields (courses.forms.CourseForm): the form itself
    checks them. Levels and domains by their slugs."""

    provider = serializers.IntegerField(min_value=1, max_value=10**18 - 1)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=3000)
    levels = serializers.ListField(child=serializers.CharField(max_length=50), min_length=1)
    domains = serializers.ListField(child=serializers.CharField(max_length=50), min_length=1)
    sectors = serializers.ListField(child=serializers.ChoiceField(choices=Sector.choices), min_length=1)
    delivery_mode = serializers.ChoiceField(choices=DeliveryMode.choices)
    duration_hours = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=0)
    cost = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0)
    region = serializers.ChoiceField(choices=COURSE_REGIONS)
    designed_for_social_care = serializers.BooleanField(required=False)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    external_id = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=64)


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    course = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    round = serializers.IntegerField()
    renews = serializers.SerializerMethodField(help_text="The accreditation number this renews")
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reasons = serializers.CharField(allow_blank=True)
    page = serializers.SerializerMethodField(help_text="The application's page on this service")

    def get_course(self, application) -> IdName:
        return {"id": application.course_id, "name": application.course.title}

    def get_renews(self, application) -> str | None:
        return application.renews.number if application.renews_id else None

    def get_page(self, application) -> str:
        return self.context["request"].build_absolute_uri(reverse("accreditation:application", args=[application.pk]))


REGIONS = [value for value, _ in Region.choices]
