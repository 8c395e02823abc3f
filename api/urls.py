"""The API's addresses: /api/ (index, schema, docs), /api/v1/ (version 1)
and /openapi.json. Every name here is in the API matrix
(tests/matrix/test_api_matrix.py)."""

from django.urls import path, register_converter
from drf_spectacular.views import SpectacularJSONAPIView

from .views import academy, awards_admin, completions, index, me, provider, public


class IdConverter:
    """A database id: 1 to 18 ASCII digits (core.forms.is_id), so a number
    too large for the database answers 404 rather than failing its query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class AccreditationNumberConverter:
    """Letters, digits and hyphens, as accreditation numbers are written (NSA-2026-00042)."""

    regex = "[A-Za-z0-9-]{1,30}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
register_converter(AccreditationNumberConverter, "accreditation_number")

app_name = "api"

urlpatterns = [
    path("api/", index.ApiIndex.as_view(), name="index"),
    path("api/schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("api/docs/", index.docs, name="docs"),
    path("api/v1/", index.VersionOne.as_view(), name="v1"),
    path("api/v1/courses/", public.CourseRegister.as_view(), name="courses"),
    path("api/v1/courses/<id:pk>/", public.CourseDetail.as_view(), name="course"),
    path(
        "api/v1/accreditations/<accreditation_number:number>/",
        public.AccreditationByNumber.as_view(),
        name="accreditation",
    ),
    path("api/v1/winners/", public.WinnersIndex.as_view(), name="winners_index"),
    path("api/v1/winners/<id:pk>/", public.Winners.as_view(), name="winners"),
    path("api/v1/credentials/<uuid:uuid>/", public.CredentialStatus.as_view(), name="credential"),
    path("api/v1/me/", me.Me.as_view(), name="me"),
    # Token-authenticated endpoints of roles (their scope and rule: api.registry).
    path("api/v1/manage/nominations/", awards_admin.Nominations.as_view(), name="manage_nominations"),
    path("api/v1/manage/nominations/export/", awards_admin.NominationExport.as_view(), name="nominations_export"),
    path("api/v1/manage/cycles/<id:pk>/results/", awards_admin.CycleResults.as_view(), name="cycle_results"),
    path("api/v1/exports/<id:pk>/", awards_admin.ExportJobStatus.as_view(), name="export_job"),
    path("api/v1/exports/<id:pk>/download/", awards_admin.ExportJobDownload.as_view(), name="export_download"),
    path("api/v1/dass/appointments/", academy.DassCompliance.as_view(), name="dass_compliance"),
    path("api/v1/provider/completions/", completions.CompletionDecisions.as_view(), name="provider_completions"),
    path("api/v1/provider/courses/", provider.ProviderCourses.as_view(), name="provider_courses"),
    path("api/v1/provider/courses/<id:pk>/", provider.ProviderCourse.as_view(), name="provider_course"),
    path("api/v1/provider/applications/", provider.ProviderApplications.as_view(), name="provider_applications"),
]
