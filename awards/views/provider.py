"""Care providers: their dashboard and the nomination task list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from core.downloads import private_file_response
from core.errors import DomainError
from core.uploads import accepts_uploads

from .. import domain
from ..disclosure import Audience, Fact, allows, entrant_history, phase_of
from ..enums import NominationState
from ..forms import (
    AnswersForm,
    EvidenceForm,
    ImagePublicationForm,
    PublicationConsentForm,
    ServiceForm,
    StartNominationForm,
    StatementForm,
    WithdrawForm,
)
from ..models import IMAGE_KINDS, Category, ConsentSubject, EvidenceFile, Question
from ..queries import nominations_for_provider
from .common import nomination_timeline, visible_nomination


def open_categories(now=None):
    now = now or timezone.now()
    return Category.objects.filter(cycle__nominations_open__lte=now, cycle__nominations_close__gte=now).select_related(
        "cycle__programme"
    )


@login_required
def dashboard(request):
    nominations = (
        nominations_for_provider(request.user)
        .select_related("cycle__programme", "category", "organisation")
        .order_by("-cycle__year", "category__order", "-created_at")
    )
    by_cycle = {}
    for nomination in nominations:
        by_cycle.setdefault(nomination.cycle, []).append(nomination)
    return render(
        request,
        "awards/provider/dashboard.html",
        {
            "by_cycle": by_cycle,
            "open_category_count": open_categories().count(),
            "has_provider_org": OrganisationKind.CARE_PROVIDER in request.user.organisation_kinds,
        },
    )


@login_required
def start(request):
    organisations = Organisation.objects.filter(memberships__user=request.user).order_by("name")
    categories = open_categories()
    if not organisations.exists():
        messages.info(request, "Create or join your organisation before starting a nomination.")
        return redirect("accounts:organisation_list")
    form = StartNominationForm(request.POST or None, organisations=organisations, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = domain.start_nomination(
                request.user, form.cleaned_data["organisation"], form.cleaned_data["category"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            return redirect("awards:nomination", pk=nomination.pk)
    return render(request, "awards/provider/start.html", {"form": form, "categories": categories})


@login_required
def nomination(request, pk):
    """The task list for a draft; the summary and history once submitted.

    This is the entrant's page, so it shows what the entrant organisation may
    see (awards.disclosure), to everyone who opens it: administrators read
    the full history on the staff page."""
    item = visible_nomination(request.user, pk)
    questions = list(item.category.questions.all())
    evidence = list(item.evidence.all())
    members = set(item.organisation.memberships.values_list("user_id", flat=True))
    phase = phase_of(item)
    return render(
        request,
        "awards/provider/nomination.html",
        {
            "nomination": item,
            "sections": domain.sections(item, questions=questions, evidence_count=len(evidence)),
            "questions": questions,
            "answers": {a.question_id: a for a in item.answers.all()},
            "evidence": evidence,
            "has_images": any(file.is_image for file in evidence),
            "history": entrant_history(item, nomination_timeline(item), members=members),
            "is_member": request.user.pk in members,
            "show_feedback": item.was_judged and allows(Audience.ENTRANT, Fact.FEEDBACK, phase),
            # The award's signed credential, once the results are announced (judging.award_credentials).
            "award_credential": item.award_credentials.filter(revoked_at__isnull=True).first()
            if allows(Audience.ENTRANT, Fact.AWARD, phase)
            else None,
            "can_withdraw": item.state in NominationState.withdrawable() and not item.cycle.results_public(),
            "consent_subjects": list(ConsentSubject),
        },
    )


@login_required
def images(request, pk):
    """The entrant chooses which images may be published if the nomination
    wins, each with a public caption and the consent of the people in it."""
    item = visible_nomination(request.user, pk, members_only=True)
    files = list(item.evidence.filter(kind__in=IMAGE_KINDS).order_by("uploaded_at", "pk"))
    form = ImagePublicationForm(request.POST or None, images=files)
    withdrawn = item.state == NominationState.WITHDRAWN
    if request.method == "POST" and not withdrawn and form.is_valid():
        try:
            changed = domain.save_image_publication(request.user, item, form.choices())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Your choices have been saved." if changed else "Nothing was changed: your choices are as they were.",
            )
            return redirect("awards:nomination", pk=item.pk)
    return render(
        request,
        "awards/provider/images.html",
        {"nomination": item, "form": form, "withdrawn": withdrawn, "has_images": bool(files)},
    )


def _draft_for_editing(request, pk):
    item = visible_nomination(request.user, pk, members_only=True)
    if not item.is_draft:
        messages.info(request, "This nomination has been submitted and can no longer be changed.")
        return item, redirect("awards:nomination", pk=item.pk)
    return item, None


def _edit(request, pk, form_class, template, save, initial=None, form_kwargs=None):
    """The common shape of a task-list page: a form saved through the domain."""
    item, blocked = _draft_for_editing(request, pk)
    if blocked:
        return blocked
    kwargs = form_kwargs(item) if form_kwargs else {}
    form = form_class(request.POST or None, initial=initial(item) if initial else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(request.user, item, form)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("awards:nomination", pk=item.pk)
    return render(request, template, {"form": form, "nomination": item})


@login_required
def edit_service(request, pk):
    return _edit(
        request,
        pk,
        ServiceForm,
        "awards/provider/edit_service.html",
        save=lambda user, item, form: domain.save_service_details(user, item, **form.cleaned_data),
        initial=lambda item: {
            "service_name": item.service_name,
            "service_address": item.service_address,
            "service_regulator_number": item.service_regulator_number,
        },
    )


@login_required
def edit_answers(request, pk):
    return _edit(
        request,
        pk,
        AnswersForm,
        "awards/provider/edit_answers.html",
        save=lambda user, item, form: domain.save_answers(user, item, form.answers()),
        form_kwargs=lambda item: {
            "questions": list(Question.objects.filter(category=item.category_id)),
            "answers": {a.question_id: a.text for a in item.answers.all()},
        },
    )


@login_required
def edit_statement(request, pk):
    return _edit(
        request,
        pk,
        StatementForm,
        "awards/provider/edit_statement.html",
        save=lambda user, item, form: domain.save_statement(
            user,
            item,
            statement=form.cleaned_data["statement"],
            given_by=form.cleaned_data["given_by"],
            consent=form.cleaned_data["consent"],
        ),
        initial=lambda item: {
            "statement": item.user_statement,
            "given_by": item.user_statement_by,
            "consent": item.user_statement_consent,
        },
    )


@login_required
def edit_consent(request, pk):
    return _edit(
        request,
        pk,
        PublicationConsentForm,
        "awards/provider/edit_consent.html",
        save=lambda user, item, form: domain.save_publication_consent(user, item, consent=form.cleaned_data["consent"]),
        initial=lambda item: {
            "consent": None if item.consent_to_publish is None else ("yes" if item.consent_to_publish else "no")
        },
    )


@accepts_uploads(domain.MAX_EVIDENCE_FILE)
@login_required
def evidence(request, pk):
    item, blocked = _draft_for_editing(request, pk)
    if blocked:
        return blocked
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = domain.add_evidence(request.user, item, form.cleaned_data["file"], form.cleaned_data["description"])
        except DomainError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"{added.original_name} has been uploaded.")
            return redirect("awards:evidence", pk=item.pk)
    files = list(item.evidence.all())
    used = sum(f.size for f in files)
    return render(
        request,
        "awards/provider/evidence.html",
        {
            "form": form,
            "nomination": item,
            "files": files,
            "used_mb": used / domain.MB,
            "limit_mb": domain.MAX_EVIDENCE_TOTAL // domain.MB,
        },
    )


@login_required
@require_POST
def evidence_remove(request, pk, evidence_pk):
    item = visible_nomination(request.user, pk, members_only=True)
    file = get_object_or_404(EvidenceFile, pk=evidence_pk, nomination=item)
    try:
        domain.remove_evidence(request.user, file)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{file.original_name} has been removed.")
    return redirect("awards:evidence", pk=item.pk)


@login_required
def evidence_download(request, evidence_pk):
    file = get_object_or_404(EvidenceFile.objects.select_related("nomination"), pk=evidence_pk)
    visible_nomination(request.user, file.nomination_id)
    return private_file_response(file.file, filename=file.original_name, mimetype=file.mimetype)


@login_required
def check_answers(request, pk):
    item = visible_nomination(request.user, pk, members_only=True)
    if not item.is_draft:
        return redirect("awards:nomination", pk=item.pk)
    questions = list(item.category.questions.all())
    files = list(item.evidence.all())
    error = None
    if request.method == "POST":
        try:
            domain.submit_nomination(request.user, item)
        except DomainError as refusal:
            error = str(refusal)
        else:
            return redirect("awards:submitted", pk=item.pk)
    return render(
        request,
        "awards/provider/check_answers.html",
        {
            "nomination": item,
            "questions": questions,
            "answers": {a.question_id: a for a in item.answers.all()},
            "files": files,
            "sections": domain.sections(item, questions=questions, evidence_count=len(files)),
            "error": error,
        },
    )


@login_required
def submitted(request, pk):
    item = visible_nomination(request.user, pk, members_only=True)
    if item.is_draft:
        return redirect("awards:nomination", pk=item.pk)
    return render(request, "awards/provider/submitted.html", {"nomination": item})


@login_required
def withdraw(request, pk):
    item = visible_nomination(request.user, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.withdraw_nomination(request.user, item, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The nomination has been withdrawn.")
            return redirect("awards:nomination", pk=item.pk)
    return render(request, "awards/provider/withdraw.html", {"form": form, "nomination": item})
