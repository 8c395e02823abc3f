"""Course providers: their courses (listed, created and changed with the
course page's form and courses.domain.save_course, so the same checks, the
same change requests for an accredited course and the same audit apply)
and their accreditation applications (as on the provider's accreditation page)."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from accreditation.models import Application
from core.errors import DomainError
from courses import domain, search
from courses.enums import CourseChangeState
from courses.forms import CourseForm
from courses.models import Course, CourseChange

from .. import idempotency
from ..registry import endpoint
from ..serializers_private import ApplicationSerializer, CourseWriteSerializer, ProviderCourseSerializer
from .base import ApiView
from .common import BAD_REQUEST, NOT_FOUND, PAGE_PARAMETERS, REFUSED, form_errors, id_parameter, page_of, paged
from .completions import IDEMPOTENCY

FIELDS = list(CourseWriteSerializer().fields)


class ApiCourseForm(CourseForm):
    """The course page's form, naming levels and domains by their slugs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].to_field_name = "slug"
        self.fields["domains"].to_field_name = "slug"


def _current(course) -> dict:
    """The course's values as the API writes them: what a change starts from."""
    return {
        "provider": course.provider_id,
        "title": course.title,
        "summary": course.summary,
        "levels": [level.slug for level in course.levels.all()],
        "domains": [d.slug for d in course.domains.all()],
        "sectors": course.sectors,
        "delivery_mode": course.delivery_mode,
        "duration_hours": str(course.duration_hours),
        "cost": str(course.cost),
        "region": course.region,
        "designed_for_social_care": course.designed_for_social_care,
        "url": course.url,
        "external_id": course.external_id or "",
    }


def _unknown_fields(data) -> Response | None:
    if not isinstance(data, dict):
        return Response({"detail": "Send the course as a JSON object"}, status=400)
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        return Response(
            {"detail": "Unknown fields", "errors": {name: ["Not a field of a course"] for name in unknown}}, status=400
        )
    return None


def _save(request, data, course, status):
    """The page's save (courses.views.course_form): the form, then the domain function."""
    form = ApiCourseForm(data, instance=course, providers=domain.provider_organisations(request.user))
    if not form.is_valid():
        idempotency.refuse(form_errors(form))
    try:
        saved = domain.save_course(
            request.user,
            form.save(commit=False),
            levels=form.cleaned_data["levels"],
            domains=form.cleaned_data["domains"],
            sectors=form.cleaned_data["sectors"],
        )
    except DomainError as error:
        form.add_error(None, str(error))
        idempotency.refuse(form_errors(form))
    saved = Course.objects.select_related("provider").prefetch_related("levels", "domains").get(pk=saved.pk)
    saved.pending_change = form.instance.pending_change
    return Response(ProviderCourseSerializer(saved).data, status=status)


def _with_pending_change(courses):
    return courses.prefetch_related(
        "levels",
        "domains",
        Prefetch("changes", queryset=CourseChange.objects.filter(state=CourseChangeState.PENDING), to_attr="pending"),
    )


WRITE_RESPONSES = {
    **BAD_REQUEST,
    409: OpenApiResponse(description="The same Idempotency-Key sent twice at once"),
    422: OpenApiResponse(description="An Idempotency-Key reused with another body"),
    **REFUSED,
}


@endpoint(scope="courses:read", write_scope="courses:write", rule="courses.import_own")
class ProviderCourses(ApiView):
    """GET: the courses of the provider organisations the person belongs to,
    as "Your courses" orders them. POST: a new course (a draft), as the
    "Add a course" page makes it."""

    @extend_schema(
        operation_id="provider_courses_list",
        summary="Your organisations' courses",
        parameters=PAGE_PARAMETERS,
        responses={200: page_of(ProviderCourseSerializer, "ProviderCourse"), **NOT_FOUND, **REFUSED},
        tags=["Course providers"],
    )
    def get(self, request):
        courses = Course.objects.filter(provider__in=domain.provider_organisations(request.user)).select_related(
            "provider"
        )
        courses = _with_pending_change(courses.order_by("provider__name", search.natural_title(), "pk"))
        return paged(self, request, courses, ProviderCourseSerializer)

    @extend_schema(
        operation_id="provider_courses_create",
        summary="Add a course (a draft)",
        parameters=[IDEMPOTENCY],
        request=CourseWriteSerializer,
        responses={201: ProviderCourseSerializer, **WRITE_RESPONSES},
        tags=["Course providers"],
    )
    def post(self, request):
        refused = _unknown_fields(request.data)
        if refused is not None:
            return refused
        return idempotency.run_once(
            request, "api:provider_courses", lambda: _save(request, dict(request.data), Course(), 201)
        )


@endpoint(scope="courses:read", write_scope="courses:write", rule="courses.import_own")
class ProviderCourse(ApiView):
    """GET: one of the person's courses. PATCH: change the fields given,
    as the course's edit page does (on an accredited course, a change to
    what the accreditation stands for goes to the Skills Academy as a
    request: see pending_change). Another provider's course answers 404."""

    def _course(self, request, pk) -> Course:
        course = get_object_or_404(_with_pending_change(Course.objects.select_related("provider")), pk=pk)
        if not request.user.has_perm("courses.edit_course", course):
            raise Http404
        return course

    @extend_schema(
        operation_id="provider_courses_retrieve",
        summary="One of your courses",
        parameters=[id_parameter()],
        responses={200: ProviderCourseSerializer, **NOT_FOUND, **REFUSED},
        tags=["Course providers"],
    )
    def get(self, request, pk):
        return Response(ProviderCourseSerializer(self._course(request, pk)).data)

    @extend_schema(
        operation_id="provider_courses_update",
        summary="Change one of your courses",
        parameters=[id_parameter(), IDEMPOTENCY],
        request=CourseWriteSerializer(partial=True),
        responses={200: ProviderCourseSerializer, **NOT_FOUND, **WRITE_RESPONSES},
        tags=["Course providers"],
    )
    def patch(self, request, pk):
        course = self._course(request, pk)
        refused = _unknown_fields(request.data)
        if refused is not None:
            return refused
        data = {**_current(course), **request.data}
        return idempotency.run_once(
            request, f"api:provider_course:{course.pk}", lambda: _save(request, data, course, 200)
        )


@endpoint(scope="courses:read", rule="courses.import_own")
class ProviderApplications(ApiView):
    """The accreditation applications of the person's organisations' courses,
    newest first, as their accreditation page lists them."""

    @extend_schema(
        operation_id="provider_applications_list",
        summary="Your accreditation applications",
        parameters=PAGE_PARAMETERS,
        responses={200: page_of(ApplicationSerializer, "Application"), **NOT_FOUND, **REFUSED},
        tags=["Course providers"],
    )
    def get(self, request):
        applications = (
            Application.objects.filter(course__provider__in=domain.provider_organisations(request.user))
            .select_related("course", "renews")
            .order_by("-created_at", "-pk")
        )
        return paged(self, request, applications, ApplicationSerializer)
