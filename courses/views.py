"""The public register, providers' course pages, and the academy's register tools."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.views import permission_required
from core.caching import cache_public_page
from core.errors import DomainError
from core.exports import table_response
from core.uploads import UploadRefused, accepts_uploads, store_upload

from . import domain, importer, search
from .enums import ImportState
from .forms import CourseForm, FrameworkItemForm, ImportForm
from .models import Course, CourseChangeState, CourseState, FrameworkDomain, FrameworkLevel, ImportJob
from .tasks import run_import

manage_required = permission_required("courses.manage")


@cache_public_page
def register(request):
    params = search.parse(request.GET)
    page, facets = search.search(params)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/register.html",
        {"page": page, "facets": facets, "params": params, "sorts": search.SORTS, "query": query.urlencode()},
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


@login_required
def my_courses(request):
    providers = domain.provider_organisations(request.user)
    courses = (
        Course.objects.filter(provider__in=providers).select_related("provider").order_by("provider__name", "title")
    )
    return render(request, "courses/my_courses.html", {"courses": courses, "providers": providers})


def _providers_for(user):
    if user.has_perm("courses.manage"):
        from accounts.enums import OrganisationKind

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


@accepts_uploads(importer.MAX_BYTES)
@manage_required
def import_courses(request):
    """The file is size-checked before it is stored, and stored a chunk at a
    time; the import itself runs in Celery and reads it a chunk at a time."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            form.add_error("file", "The selected file must be a CSV file")
        elif upload.size > importer.MAX_BYTES:
            form.add_error("file", f"The selected file must be smaller than {importer.MAX_BYTES // (1024 * 1024)} MB")
        else:
            job = ImportJob(original_name=upload.name[:200], uploaded_by=request.user)
            try:
                store_upload(job.file, f"imports/{timezone.now():%Y%m%d%H%M%S}-{request.user.pk}.csv", upload)
            except UploadRefused as refusal:
                form.add_error("file", str(refusal))
            else:
                with transaction.atomic():
                    job.save()
                    transaction.on_commit(lambda: run_import.delay(job.pk))
                return redirect("courses:import_job", pk=job.pk)
    return render(request, "courses/import.html", {"form": form})


@manage_required
def import_template(request):
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="course-import-template.csv"'
    return response


@manage_required
def import_job(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": job.state,
                "label": job.get_state_display(),
                "percent": job.percent,
                "processed": job.processed_rows,
                "total": job.total_rows,
                "finished": job.state in (ImportState.DONE, ImportState.FAILED),
            }
        )
    return render(request, "courses/import_job.html", {"job": job})


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
