"""Awards administrators: cycles, categories, nominations, eligibility, extensions, balance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.views import permission_required
from core.errors import DomainError
from core.export_jobs import export_response
from core.paging import get_page

from .. import domain, exports, reports
from ..enums import NominationState, Stage
from ..forms import (
    CategoryForm,
    CopyCycleForm,
    CriterionForm,
    CycleForm,
    EligibilityForm,
    ExtensionForm,
    NominationFilterForm,
    ProgrammeForm,
    QuestionForm,
)
from ..models import Category, Criterion, Cycle, Question
from .common import nomination_timeline, visible_nomination

manage_required = permission_required("awards.manage")


@manage_required
def cycles(request):
    programme_form = ProgrammeForm(request.POST or None, prefix="programme")
    if request.method == "POST" and programme_form.is_valid():
        programme = domain.save_programme(request.user, programme_form.save(commit=False))
        messages.success(request, f"{programme.name} has been created.")
        return redirect("awards:manage_cycles")
    all_cycles = Cycle.objects.select_related("programme").annotate(
        category_count=Count("categories", distinct=True),
        entry_count=Count("nominations", filter=Q(nominations__state__in=NominationState.entered()), distinct=True),
    )
    return render(
        request,
        "awards/manage/cycles.html",
        {"cycles": all_cycles, "programme_form": programme_form, "now": timezone.now()},
    )


def _save_cycle_form(request, form, success_message):
    if request.method == "POST" and form.is_valid():
        try:
            cycle = domain.save_cycle(request.user, form.save(commit=False))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success_message.format(cycle=cycle))
            return redirect("awards:manage_cycle", pk=cycle.pk)
    return None


@manage_required
def cycle_create(request):
    form = CycleForm(request.POST or None)
    done = _save_cycle_form(request, form, "{cycle} has been created.")
    return done or render(request, "awards/manage/cycle_form.html", {"form": form})


@manage_required
def cycle_edit(request, pk):
    cycle = get_object_or_404(Cycle, pk=pk)
    form = CycleForm(request.POST or None, instance=cycle)
    done = _save_cycle_form(request, form, "{cycle} has been saved.")
    return done or render(request, "awards/manage/cycle_form.html", {"form": form, "cycle": cycle})


@manage_required
def cycle_detail(request, pk):
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    categories = cycle.categories.annotate(
        question_count=Count("questions", distinct=True),
        criterion_count=Count("criteria", distinct=True),
        entry_count=Count("nominations", filter=Q(nominations__state__in=NominationState.entered()), distinct=True),
        draft_count=Count("nominations", filter=Q(nominations__state=NominationState.DRAFT), distinct=True),
    )
    copy_form = CopyCycleForm(request.POST or None, initial={"year": cycle.year + 1})
    if request.method == "POST" and copy_form.is_valid():
        try:
            new = domain.copy_cycle(request.user, cycle, copy_form.cleaned_data["year"])
        except (DomainError, ValidationError) as error:
            copy_form.add_error("year", "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"{new} has been created from {cycle}. Check its timeline.")
            return redirect("awards:manage_cycle", pk=new.pk)
    return render(
        request,
        "awards/manage/cycle_detail.html",
        {"cycle": cycle, "categories": categories, "copy_form": copy_form, "is_open": cycle.is_open()},
    )


@manage_required
def category_form(request, cycle_pk, pk=None):
    cycle = get_object_or_404(Cycle, pk=cycle_pk)
    category = get_object_or_404(Category, pk=pk, cycle=cycle) if pk else Category(cycle=cycle)
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        category = domain.save_category(request.user, form.save(commit=False))
        messages.success(request, f"{category.name} has been saved.")
        return redirect("awards:manage_category", pk=category.pk)
    return render(request, "awards/manage/category_form.html", {"form": form, "cycle": cycle, "category": category})


def _category_page(request, category, *, question_form=None, criterion_form=None):
    """The category with its questions and criteria; its two forms post to
    views of their own, and one that fails comes back here with what was typed."""
    criteria = list(category.criteria.all())
    return render(
        request,
        "awards/manage/category_detail.html",
        {
            "category": category,
            "questions": category.questions.all(),
            "written": [c for c in criteria if c.stage == Stage.WRITTEN],
            "visit": [c for c in criteria if c.stage == Stage.SITE_VISIT],
            "question_form": question_form or QuestionForm(prefix="question"),
            "criterion_form": criterion_form or CriterionForm(prefix="criterion", initial={"stage": "written"}),
        },
    )


def _category(pk) -> Category:
    return get_object_or_404(Category.objects.select_related("cycle__programme"), pk=pk)


@manage_required
@require_safe
def category_detail(request, pk):
    return _category_page(request, _category(pk))


def _add_to_category(request, pk, form_class, prefix, save, added):
    """A question or criterion added to the category; a form that fails comes
    back on the category page with what was typed."""
    category = _category(pk)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return _category_page(request, category, **{f"{prefix}_form": form})
    item = form.save(commit=False)
    item.category = category
    save(request.user, item)
    messages.success(request, added)
    return redirect("awards:manage_category", pk=category.pk)


@manage_required
@require_POST
def question_create(request, pk):
    return _add_to_category(request, pk, QuestionForm, "question", domain.save_question, "The question has been added.")


@manage_required
@require_POST
def criterion_create(request, pk):
    return _add_to_category(
        request, pk, CriterionForm, "criterion", domain.save_criterion, "The criterion has been added."
    )


@manage_required
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("category__cycle"), pk=pk)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        domain.save_question(request.user, form.save(commit=False))
        messages.success(request, "The question has been saved.")
        return redirect("awards:manage_category", pk=question.category_id)
    return render(request, "awards/manage/item_form.html", {"form": form, "item": question, "kind": "question"})


@manage_required
def criterion_edit(request, pk):
    criterion = get_object_or_404(Criterion.objects.select_related("category__cycle"), pk=pk)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        domain.save_criterion(request.user, form.save(commit=False))
        messages.success(request, "The criterion has been saved.")
        return redirect("awards:manage_category", pk=criterion.category_id)
    return render(request, "awards/manage/item_form.html", {"form": form, "item": criterion, "kind": "criterion"})


@manage_required
@require_POST
def question_delete(request, pk):
    question = get_object_or_404(Question, pk=pk)
    category_pk = question.category_id
    try:
        domain.delete_question(request.user, question)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The question has been deleted.")
    return redirect("awards:manage_category", pk=category_pk)


@manage_required
@require_POST
def criterion_delete(request, pk):
    criterion = get_object_or_404(Criterion, pk=pk)
    category_pk = criterion.category_id
    try:
        domain.delete_criterion(request.user, criterion)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The criterion has been deleted.")
    return redirect("awards:manage_category", pk=category_pk)


@manage_required
def nomination_list(request):
    form = NominationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    nominations = reports.filtered_nominations(data)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        # Small: the file now; large: a background job and its page (core.export_jobs).
        return export_response(request.user, exports.NOMINATIONS, exports.parameters(data), export)
    counts = reports.state_counts(nominations)
    page = get_page(
        nominations.select_related(None).select_related("cycle", "category", "organisation").only(*reports.LIST_FIELDS),
        request.GET.get("page"),
        count=sum(count for _, _, count in counts),
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "awards/manage/nomination_list.html",
        {"form": form, "page": page, "counts": counts, "query": query.urlencode()},
    )


def _detail_with_form(request, item, **forms_by_name):
    context = {
        "nomination": item,
        "questions": list(item.category.questions.all()),
        "answers": {a.question_id: a for a in item.answers.all()},
        "evidence": list(item.evidence.all()),
        "timeline": nomination_timeline(item),
        "eligibility_form": EligibilityForm(),
        "extension_form": ExtensionForm(),
        **forms_by_name,
    }
    return render(request, "awards/manage/nomination_detail.html", context)


@manage_required
def nomination_detail(request, pk):
    return _detail_with_form(request, visible_nomination(request.user, pk))


@manage_required
@require_POST
def decide_eligibility(request, pk):
    item = visible_nomination(request.user, pk)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            domain.decide_eligibility(
                request.user,
                item,
                eligible=form.cleaned_data["decision"] == "eligible",
                reason_code=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            outcome = "eligible" if form.cleaned_data["decision"] == "eligible" else "not eligible"
            messages.success(request, f"{item} has been marked {outcome} and the provider told.")
            return redirect("awards:manage_nomination", pk=item.pk)
    return _detail_with_form(request, item, eligibility_form=form)


@manage_required
@require_POST
def grant_extension(request, pk):
    item = visible_nomination(request.user, pk)
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            domain.grant_extension(
                request.user, item, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error("until", str(error))
        else:
            messages.success(request, "The extension has been granted and the provider told.")
            return redirect("awards:manage_nomination", pk=item.pk)
    return _detail_with_form(request, item, extension_form=form)


@manage_required
def sector_balance(request, pk):
    cycle = get_object_or_404(Cycle.objects.select_related("programme"), pk=pk)
    balance = reports.sector_balance(cycle)
    return render(
        request,
        "awards/manage/sector_balance.html",
        {"cycle": cycle, "is_open": cycle.is_open(), **balance},
    )
