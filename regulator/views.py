"""Awards administrators: the directory import, rating rules, the ratings of
entries and overrides. Providers: finding their service in the directory."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.views import permission_required
from awards.enums import NominationState
from awards.forms import ServiceForm
from awards.models import Category, Nomination
from awards.queries import nominations_for_provider
from core.errors import DomainError
from core.paging import get_page
from core.uploads import UploadRefused, accepts_uploads, store_upload

from . import domain, importer
from .forms import DirectoryUploadForm, EntryFilterForm, FindServiceForm, OverrideForm, RatingRuleForm
from .matching import find_location, latest_import, verdicts
from .models import CategoryRatingRule, DirectoryImport

manage_required = permission_required("regulator.manage")
LIST_SIZE = 50


@manage_required
def entries(request):
    """Every entry's regulator number, matched location, rating and its date,
    and the category rule's outcome, a page at a time."""
    form = EntryFilterForm(request.GET or None)
    nominations = Nomination.objects.filter(state__in=NominationState.entered())
    if form.is_valid() and form.cleaned_data["cycle"]:
        nominations = nominations.filter(cycle=form.cleaned_data["cycle"])
    nominations = nominations.select_related("cycle__programme", "category__rating_rule", "organisation").order_by(
        "-cycle__year", "category__order", "category__name", "reference", "pk"
    )
    page = get_page(nominations, request.GET.get("page"), per_page=LIST_SIZE)
    found = verdicts(page.object_list)
    rows = [(nomination, found[nomination.pk]) for nomination in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "regulator/entries.html",
        {"form": form, "page": page, "rows": rows, "directory_import": latest_import(), "query": query.urlencode()},
    )


@accepts_uploads(importer.MAX_BYTES)
@manage_required
def imports(request):
    """The file is checked for its type and size before it is stored; the
    import itself runs in Celery, with a progress page."""
    form = DirectoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        extension = next((e for e in importer.EXTENSIONS if upload.name.lower().endswith(e)), None)
        if extension is None:
            form.add_error("file", "The selected file must be a CSV or ODS file")
        elif upload.size > importer.MAX_BYTES:
            form.add_error("file", f"The selected file must be smaller than {importer.size_label(importer.MAX_BYTES)}")
        else:
            job = DirectoryImport(original_name=upload.name[:200])
            try:
                store_upload(job.file, f"regulator/{timezone.now():%Y%m%d%H%M%S}-{request.user.pk}{extension}", upload)
            except UploadRefused as refusal:
                form.add_error("file", str(refusal))
            else:
                try:
                    domain.queue_import(request.user, job)
                except PermissionDenied:
                    job.file.delete(save=False)
                    raise
                return redirect("regulator:import_job", pk=job.pk)
    jobs = DirectoryImport.objects.select_related("uploaded_by")[:10]
    return render(request, "regulator/imports.html", {"form": form, "jobs": jobs})


@manage_required
def import_job(request, pk):
    job = get_object_or_404(DirectoryImport, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": job.state,
                "label": job.get_state_display(),
                "percent": job.percent,
                "processed": job.processed_rows,
                "total": job.total_rows,
                "finished": job.finished,
            }
        )
    return render(request, "regulator/import_job.html", {"job": job})


@manage_required
def category_rule(request, pk):
    category = get_object_or_404(Category.objects.select_related("cycle__programme"), pk=pk)
    rule = CategoryRatingRule.objects.filter(category=category).first()
    initial = {"minimum_rating": rule.minimum_rating, "max_age_months": rule.max_age_months} if rule else None
    form = RatingRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and "remove" in request.POST:
        domain.remove_rating_rule(request.user, category)
        messages.success(request, f"{category.name} no longer has a rating rule.")
        return redirect("awards:manage_category", pk=category.pk)
    if request.method == "POST" and form.is_valid():
        try:
            domain.save_rating_rule(
                request.user,
                category,
                minimum_rating=form.cleaned_data["minimum_rating"],
                max_age_months=form.cleaned_data["max_age_months"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The rating rule of {category.name} has been saved.")
            return redirect("awards:manage_category", pk=category.pk)
    return render(request, "regulator/category_rule.html", {"form": form, "category": category, "rule": rule})


@manage_required
@require_POST
def override(request, pk):
    nomination = get_object_or_404(Nomination, pk=pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            domain.override_rule(request.user, nomination, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, "The rating rule has been set aside for this nomination.")
            return redirect("awards:manage_nomination", pk=nomination.pk)
    for error in form.errors.get("reason", []):
        messages.error(request, error)
    return redirect("awards:manage_nomination", pk=nomination.pk)


@login_required
def find_service(request, pk):
    """Tell us once: a provider types the service's registration number and
    the service's details come from the regulator's directory, for them to
    check and save on the usual form (awards:edit_service)."""
    nomination = get_object_or_404(nominations_for_provider(request.user).select_related("category", "cycle"), pk=pk)
    if not request.user.has_perm("awards.edit_nomination", nomination):
        messages.info(request, "This nomination has been submitted and can no longer be changed.")
        return redirect("awards:nomination", pk=nomination.pk)
    find_form = FindServiceForm(request.GET or None)
    initial = {
        "service_name": nomination.service_name,
        "service_address": nomination.service_address,
        "service_regulator_number": nomination.service_regulator_number,
    }
    location = None
    if find_form.is_valid():
        location = find_location(find_form.cleaned_data["number"])
        if location is None:
            find_form.add_error("number", "The regulator's directory has no service with that number: check it")
        else:
            address = "\n".join(part for part in (location.address, location.postcode) if part)
            initial = {
                "service_name": location.name[:200],
                "service_address": address[:500],
                "service_regulator_number": location.location_id,
            }
    return render(
        request,
        "awards/provider/edit_service.html",
        {"form": ServiceForm(initial=initial), "find_form": find_form, "found": location, "nomination": nomination},
    )
