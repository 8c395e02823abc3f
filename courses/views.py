"""The public register, providers' course pages, and the academy's register tools."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from accounts.views import permission_required
from core.caching import cache_public_page
from core.downloads import private_file_response
from core.errors import DomainError
from core.exports import table_response
from core.paging import get_page
from core.uploads import STORAGE_ERRORS, UploadRefused, accepts_uploads, store_upload

from . import domain, importer, open_data, search
from .forms import CourseForm, DraftFilterForm, FrameworkItemForm, ImportForm, ProviderImportForm
from .models import Course, CourseChangeState, CourseState, FrameworkDomain, FrameworkLevel, ImportJob

logger = logging.getLogger(__name__)
manage_required = permission_required("courses.manage")


@cache_public_page
def register(request):
    params = search.parse(request.GET)
    page, facets = search.search(params)
    query = request.GET.copy()
    query.pop("page", None)
    dump = open_data.current()
    return render(
        request,
        "courses/register.html",
        {
            "page": page,
            "facets": facets,
            "params": params,
            "sorts": search.SORTS,
            "query": query.urlencode(),
            "open_data_made": open_data.generated_at(dump) if dump else None,
        },
    )


def course_detail(request, pk):
    course = get_object_or_404(Course.objects.select_related("provider").prefetch_related("levels", "domains"), pk=pk)
    can_edit = request.user.has_perm("courses.edit_course", course)
    if course.state != CourseState.LISTED and not can_edit:
        raise Http404
    pending = course.changes.filter(state=CourseChangeState.PENDING).first() if can_edit else None
    return render(
        request, "courses/course_detail.html", {"course": course, "can_edit": can_edit, "pending_change": pending}
    )


MY_COURSES_PAGE_SIZE = 50


@login_required
def my_courses(request):
    """A provider's courses, 50 a page, titles in natural order ("Module 2"
    before "Module 10"; search.natural_title)."""
    providers = list(domain.provider_organisations(request.user).order_by("name"))
    courses = (
        Course.objects.filter(provider__in=providers)
        .select_related("provider")
        .order_by("provider__name", search.natural_title(), "pk")
    )
    page = get_page(courses, request.GET.get("page"), per_page=MY_COURSES_PAGE_SIZE)
    return render(request, "courses/my_courses.html", {"page": page, "providers": providers})


def _providers_for(user):
    if user.has_perm("courses.manage"):
        return Organisation.objects.filter(Organisation.kind_filter(OrganisationKind.COURSE_PROVIDER))
    return domain.provider_organisations(user)


@login_required
def course_form(request, pk=None):
    providers = _providers_for(request.user)
    course = get_object_or_404(Course, pk=pk) if pk else Course()
    if pk and not request.user.has_perm("courses.edit_course", course):
        raise Http404
    if not providers.exists():
        raise PermissionDenied
    form = CourseForm(request.POST or None, instance=course, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = domain.save_course(
                    request.user,
                    form.save(commit=False),
                    levels=form.cleaned_data["levels"],
                    domains=form.cleaned_data["domains"],
                    sectors=form.cleaned_data["sectors"],
                )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if saved.pending_change is not None:
                messages.info(
                    request,
                    "Your other changes are saved. The course is accredited, so the change to what the "
                    f"accreditation stands for ({saved.pending_change.summary}) goes to the Skills Academy; "
                    "the register shows the accredited course until they accept it.",
                )
            else:
                messages.success(request, f"{saved.title} has been saved.")
            return redirect("courses:detail", pk=saved.pk)
    return render(request, "courses/course_form.html", {"form": form, "course": course})


@login_required
@require_POST
def course_state(request, pk):
    course = get_object_or_404(Course, pk=pk)
    if not request.user.has_perm("courses.edit_course", course):
        raise Http404
    try:
        domain.set_course_state(request.user, course, request.POST.get("state", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The course has been updated.")
    return redirect("courses:detail", pk=pk)


@manage_required
def manage(request):
    jobs = ImportJob.objects.select_related("uploaded_by")[:10]
    return render(
        request,
        "courses/manage.html",
        {
            "levels": FrameworkLevel.objects.all(),
            "domains": FrameworkDomain.objects.all(),
            "jobs": jobs,
            "listed": Course.objects.filter(state=CourseState.LISTED).count(),
            "total": Course.objects.count(),
        },
    )


DRAFTS_PAGE_SIZE = 50


@manage_required
def drafts(request):
    """Courses not on the register yet (drafts) and courses that came in
    through an import, newest change first, for the academy to review."""
    providers = Organisation.objects.filter(Organisation.kind_filter(OrganisationKind.COURSE_PROVIDER)).order_by("name")
    form = DraftFilterForm(request.GET or None, providers=providers)
    courses = Course.objects.filter(Q(state=CourseState.DRAFT) | Q(import_job__isnull=False))
    if form.is_valid():
        courses = form.filter(courses)
    courses = courses.select_related("provider", "import_job").order_by("-updated_at", "-pk")
    page = get_page(courses, request.GET.get("page"), per_page=DRAFTS_PAGE_SIZE)
    return render(request, "courses/drafts.html", {"form": form, "page": page})


@manage_required
def framework_item(request, kind, pk=None):
    model = {"level": FrameworkLevel, "domain": FrameworkDomain}.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=pk) if pk else model()
    initial = {"name": item.name, "description": item.description, "order": item.order} if pk else None
    form = FrameworkItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        item.name = form.cleaned_data["name"]
        item.description = form.cleaned_data["description"]
        item.order = form.cleaned_data["order"]
        if not item.slug:
            item.slug = slugify(item.name)[:100]
        if model.objects.exclude(pk=item.pk).filter(slug=item.slug).exists():
            form.add_error("name", "That name is already used")
        else:
            domain.save_framework_item(request.user, item)
            messages.success(request, f"{item.name} has been saved.")
            return redirect("courses:manage")
    return render(request, "courses/framework_item.html", {"form": form, "item": item, "kind": kind})


def _queue_upload(request, form, organisation=None):
    """Stores the checked form's file and queues its import; the job, or None
    with the problem added to the form."""
    upload = form.cleaned_data["file"]
    if not upload.name.lower().endswith(".csv"):
        form.add_error("file", "The selected file must be a CSV file")
        return None
    if upload.size > importer.MAX_BYTES:
        form.add_error("file", f"The selected file must be smaller than {importer.MAX_BYTES // (1024 * 1024)} MB")
        return None
    job = ImportJob(original_name=upload.name[:200])
    try:
        store_upload(job.file, f"imports/{timezone.now():%Y%m%d%H%M%S}-{request.user.pk}.csv", upload)
    except UploadRefused as refusal:
        form.add_error("file", str(refusal))
        return None
    try:
        return domain.queue_import(request.user, job, organisation)
    except PermissionDenied:
        job.file.delete(save=False)  # refused: the stored upload goes too
        raise


def _import_context(**extra):
    """What the import pages explain: the codes each column takes."""
    from accounts.enums import Sector

    from .enums import DeliveryMode
    from .models import COURSE_REGIONS

    return {
        "regions": COURSE_REGIONS,
        "levels": FrameworkLevel.objects.all(),
        "domains": FrameworkDomain.objects.all(),
        "modes": DeliveryMode.choices,
        "sectors": Sector.choices,
        **extra,
    }


@accepts_uploads(importer.MAX_BYTES)
@manage_required
def import_courses(request):
    """The file is size-checked before it is stored, and stored a chunk at a
    time; the import itself runs in Celery and reads it a chunk at a time."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = _queue_upload(request, form)
        if job is not None:
            return redirect("courses:import_job", pk=job.pk)
    return render(
        request,
        "courses/import.html",
        _import_context(form=form, template_url="courses:import_template", back_url="courses:manage"),
    )


@manage_required
def import_template(request):
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="course-import-template.csv"'
    return response


import_own_required = permission_required("courses.import_own")


@accepts_uploads(importer.MAX_BYTES)
@import_own_required
def provider_import(request):
    """A course provider imports its own organisation's courses: the rows are
    that organisation's whatever the provider column says (importer.validate)."""
    organisations = domain.provider_organisations(request.user).order_by("name")
    form = ProviderImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        job = _queue_upload(request, form, form.cleaned_data["organisation"])
        if job is not None:
            return redirect("courses:import_job", pk=job.pk)
    return render(
        request,
        "courses/import.html",
        _import_context(form=form, template_url="courses:provider_import_template", back_url="courses:mine"),
    )


@import_own_required
def provider_import_template(request):
    organisation = domain.provider_organisations(request.user).order_by("name").first()
    response = HttpResponse(importer.template_csv(organisation), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="course-import-template.csv"'
    return response


def _import_job_for(user, pk) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("organisation"), pk=pk)
    if not user.has_perm("courses.view_import", job):
        # Another organisation's import answers as one that does not exist.
        raise Http404
    return job


@login_required
def import_job(request, pk):
    """The import's progress (rows checked, then saved), its result, or why it
    failed: problems in the file, saving failed, or it stopped (importer)."""
    job = _import_job_for(request.user, pk)
    status = importer.progress(job)
    failure = importer.failure(job)
    if request.GET.get("format") == "json":
        return JsonResponse(status)
    staff = request.user.has_perm("courses.manage")
    back = ("courses:manage", "Back to the register tools") if staff else ("courses:mine", "Back to your courses")
    return render(
        request,
        "courses/import_job.html",
        {
            "job": job,
            "status": status,
            "stopped": failure == "stopped",
            "service_failed": failure == "service",
            "back_url": back[0],
            "back_label": back[1],
            "upload_url": "courses:import" if staff else "courses:provider_import",
        },
    )


@login_required
def import_errors(request, pk):
    """Every problem the import found, as a CSV: the page lists the first ones."""
    job = _import_job_for(request.user, pk)
    filename = f"import-{job.pk}-problems.csv"
    if job.errors_file:
        try:
            return private_file_response(job.errors_file, filename=filename, mimetype="text/csv; charset=utf-8")
        except STORAGE_ERRORS:
            logger.exception("The problems file of import %s could not be read", job.pk)
    # No file (a refused file, or storage failed): the problems kept on the job.
    rows = ([e["row"] or "", e["column"], e["message"]] for e in job.errors)
    return table_response(importer.ERROR_COLUMNS, rows, filename.removesuffix(".csv"), "csv")


@manage_required
def export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    courses = Course.objects.select_related("provider").prefetch_related("levels", "domains").order_by("pk")

    def rows():
        for c in courses.iterator(chunk_size=2000):
            yield [
                c.external_id or "",
                c.provider.name,
                c.title,
                c.summary,
                "; ".join(lv.slug for lv in c.levels.all()),
                "; ".join(d.slug for d in c.domains.all()),
                c.delivery_mode,
                c.duration_hours,
                c.cost,
                c.region,
                "; ".join(c.sectors),
                "yes" if c.designed_for_social_care else "no",
                c.url,
                c.state,
            ]

    return table_response(importer.COLUMNS, rows(), f"course-register-{timezone.localdate():%Y-%m-%d}", fmt)
