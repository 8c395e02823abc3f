"""What the public endpoints answer, field by field: only what the matching
public page shows."""

from django.urls import reverse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused, in words")


class SlugName(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    provider = serializers.SerializerMethodField()
    delivery_mode = serializers.CharField()
    duration_hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    cost = serializers.DecimalField(max_digits=8, decimal_places=2, help_text="In pounds; 0 for a free course")
    region = serializers.CharField()
    sectors = serializers.ListField(child=serializers.CharField(), help_text="Sectors the course is open to")
    designed_for_social_care = serializers.BooleanField()
    levels = serializers.SerializerMethodField()
    domains = serializers.SerializerMethodField()
    accredited = serializers.SerializerMethodField(help_text="Accredited today")
    accreditation_number = serializers.SerializerMethodField()
    web_address = serializers.CharField(source="url", allow_blank=True)
    page = serializers.SerializerMethodField(help_text="The course's page on this service")
    listed_at = serializers.DateTimeField(allow_null=True)

    def get_provider(self, course) -> dict:
        return {"id": course.provider_id, "name": course.provider.name}

    def get_levels(self, course) -> list[str]:
        return [level.slug for level in course.levels.all()]

    def get_domains(self, course) -> list[str]:
        return [domain.slug for domain in course.domains.all()]

    def get_accredited(self, course) -> bool:
        return course.is_accredited()

    def get_accreditation_number(self, course) -> str | None:
        return course.accreditation_number or None if course.is_accredited() else None

    def get_page(self, course) -> str:
        return self.context["request"].build_absolute_uri(reverse("courses:detail", args=[course.pk]))


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    values = FacetValueSerializer(many=True)


class RegisterPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Courses matching the search, in all pages")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    sort = serializers.CharField()
    results = CourseSerializer(many=True)
    facets = FacetSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class AccreditationEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    effective_on = serializers.DateField()
    recorded_at = serializers.DateTimeField(source="at")
    reason = serializers.CharField(allow_blank=True)


class LinkedAccreditationSerializer(serializers.Serializer):
    number = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()


class AccreditationSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField(help_text="Its standing today: not_yet, in_force, conditions, suspended, ...")
    status_label = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    course = serializers.DictField()
    provider = serializers.CharField()
    conditions = serializers.ListField(child=serializers.CharField(), help_text="The state of each condition")
    renews = LinkedAccreditationSerializer(allow_null=True)
    renewed_by = LinkedAccreditationSerializer(allow_null=True)
    periods = PeriodSerializer(many=True)
    history = AccreditationEventSerializer(many=True)


class CycleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    announced_at = serializers.DateTimeField()
    results = serializers.URLField()
    page = serializers.URLField()


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    caption = serializers.CharField()


class ResultSerializer(serializers.Serializer):
    award = serializers.CharField()
    award_label = serializers.CharField()
    reference = serializers.CharField()
    heading = serializers.CharField()
    service = serializers.CharField(
        allow_blank=True, help_text="Empty where the entrant did not consent to publication"
    )
    organisation = serializers.CharField(allow_blank=True)
    citation = serializers.CharField(allow_blank=True)
    images = ImageSerializer(many=True)


class CategoryResultsSerializer(serializers.Serializer):
    category = serializers.CharField()
    results = ResultSerializer(many=True)


class CorrectionSerializer(serializers.Serializer):
    corrected_after = serializers.DateTimeField()
    reason = serializers.CharField()


class WinnersSerializer(serializers.Serializer):
    cycle = CycleSerializer()
    categories = CategoryResultsSerializer(many=True)
    no_award = serializers.ListField(child=serializers.CharField(), help_text="Categories where no award was made")
    corrections = CorrectionSerializer(many=True)


class CredentialSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=["valid", "revoked", "accreditation_withdrawn", "invalid"])
    explanation = serializers.CharField()
    achievement = serializers.CharField()
    provider = serializers.CharField()
    completed_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    page = serializers.URLField()


class OrganisationMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField())


class TokenInfoSerializer(serializers.Serializer):
    name = serializers.CharField()
    hint = serializers.CharField(help_text="The token's first characters")
    scopes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField(), help_text="Site roles held now")
    organisations = OrganisationMembershipSerializer(many=True)
    token = TokenInfoSerializer()
