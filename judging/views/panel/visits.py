"""Arranging, changing and cancelling site visits."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from awards.enums import NominationState
from awards.models import Nomination
from core.errors import DomainError

from ... import domain
from ...forms import (
    ReasonForm,
    VisitForm,
)
from ...models import Panel, SiteVisit
from ._common import manage_required


@manage_required
def visits(request, pk):
    panel = get_object_or_404(Panel.objects.select_related("category__cycle"), pk=pk)
    panel_judges = User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile").order_by("email")
    shortlisted = (
        Nomination.objects.filter(
            category=panel.category, state__in=[NominationState.SHORTLISTED, NominationState.FINALIST]
        )
        .select_related("organisation", "created_by")
        .prefetch_related(
            Prefetch(
                "site_visits",
                queryset=SiteVisit.objects.prefetch_related(
                    Prefetch("judges", queryset=User.objects.select_related("judge_profile"))
                ),
            )
        )
        .order_by("reference")
    )
    return render(
        request,
        "judging/manage/visits.html",
        {"panel": panel, "nominations": shortlisted, "panel_judges": panel_judges},
    )


def _access_rows(viewer, panel) -> list[dict]:
    """The access needs of the panel's judges that the viewer may see (those
    shared with the administrator), to arrange the visit so they are met."""
    judges = User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile").order_by("email")
    return [
        {
            "name": profile.user.get_full_name() or profile.user.email,
            "needs": profile.access_need_labels(),
            "details": profile.access_needs,
            "shared_with_hosts": profile.share_access_needs_with_hosts,
        }
        for profile in domain.visible_access_needs(viewer, judges).values()
    ]


def _visit_page(request, nomination, site_visit, panel, *, form=None, cancel_form=None):
    return render(
        request,
        "judging/manage/visit_form.html",
        {
            "form": form,
            "nomination": nomination,
            "visit": site_visit,
            "cancel_form": cancel_form or ReasonForm(prefix="cancel"),
            "panel": panel,
            "access_rows": _access_rows(request.user, panel),
        },
    )


def _visit_form(data, nomination, site_visit, panel) -> VisitForm:
    panel_judges = User.objects.filter(panel_memberships__panel=panel).select_related("judge_profile").order_by("email")
    initial = {
        "address": nomination.service_address,
        "provider_contact_name": nomination.created_by.get_full_name() if nomination.created_by else "",
        "provider_contact_email": nomination.created_by.email if nomination.created_by else "",
    }
    if site_visit:
        initial = {
            "starts_at": site_visit.starts_at,
            "ends_at": site_visit.ends_at,
            "address": site_visit.address,
            "access_notes": site_visit.access_notes,
            "provider_contact_name": site_visit.provider_contact_name,
            "provider_contact_email": site_visit.provider_contact_email,
            "provider_contact_phone": site_visit.provider_contact_phone,
            "judges": list(site_visit.judges.all()),
        }
    return VisitForm(data, initial=initial, panel_judges=panel_judges)


def _visit_objects(nomination_pk, pk):
    nomination = get_object_or_404(Nomination.objects.select_related("category", "created_by"), pk=nomination_pk)
    site_visit = get_object_or_404(SiteVisit, pk=pk, nomination=nomination) if pk else None
    panel = get_object_or_404(Panel, category=nomination.category)
    return nomination, site_visit, panel


@manage_required
def visit_form(request, nomination_pk, pk=None):
    """Arrange a visit (visit_new) or change one (visit_edit); cancelling has a view of its own."""
    nomination, site_visit, panel = _visit_objects(nomination_pk, pk)
    form = _visit_form(request.POST or None, nomination, site_visit, panel)
    if request.method == "POST" and form.is_valid():
        judges_chosen = list(form.cleaned_data["judges"])
        try:
            if site_visit:
                domain.reschedule_visit(request.user, site_visit, judges_chosen, **form.details())
            else:
                domain.schedule_visit(request.user, nomination, judges_chosen, **form.details())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "The visit has been changed and an updated invitation sent."
                if site_visit
                else "The visit has been arranged and invitations sent.",
            )
            return redirect("judging:visits", pk=panel.pk)
    return _visit_page(request, nomination, site_visit, panel, form=form)


@manage_required
@require_POST
def cancel_visit(request, nomination_pk, pk):
    nomination, site_visit, panel = _visit_objects(nomination_pk, pk)
    cancel_form = ReasonForm(request.POST, prefix="cancel")
    if cancel_form.is_valid():
        try:
            domain.cancel_visit(request.user, site_visit, reason=cancel_form.cleaned_data["reason"])
        except DomainError as error:
            cancel_form.add_error(None, str(error))
        else:
            messages.success(request, "The visit has been cancelled and everyone told.")
            return redirect("judging:visits", pk=panel.pk)
    form = _visit_form(None, nomination, site_visit, panel)
    return _visit_page(request, nomination, site_visit, panel, form=form, cancel_form=cancel_form)
