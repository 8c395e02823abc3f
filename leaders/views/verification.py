"""Verifying and rejecting completions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.errors import DomainError

from .. import domain as leaders
from ..forms import RejectForm
from ..models import Completion
from ..rules import may_verify


@login_required
def verification_queue(request):
    waiting = leaders.completions_to_verify(request.user)
    if not (
        request.user.has_perm("leaders.manage")
        or waiting.exists()
        or request.user.memberships.filter(organisation__is_course_provider=True).exists()
    ):
        raise PermissionDenied
    page = Paginator(waiting.select_related("leader", "course__provider").order_by("created_at", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "leaders/verification_queue.html", {"page": page, "reject_form": RejectForm()})


def _completion_to_decide(user, pk) -> Completion:
    completion = get_object_or_404(Completion.objects.select_related("course__provider"), pk=pk)
    if not may_verify(user, completion):
        raise Http404
    return completion


@login_required
@require_POST
def verify_completion(request, pk):
    completion = _completion_to_decide(request.user, pk)
    try:
        leaders.verify_completion(request.user, completion)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{completion.title} for {completion.leader.email} is verified.")
    return redirect("leaders:verification")


@login_required
@require_POST
def reject_completion(request, pk):
    completion = _completion_to_decide(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        # The queue has one short field per completion: the message names what is missing.
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("leaders:verification")
    try:
        leaders.reject_completion(request.user, completion, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{completion.title} for {completion.leader.email} is rejected.")
    return redirect("leaders:verification")
