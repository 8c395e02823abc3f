from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import audit, audit_display, domain
from .decorators import fresh_sign_in_required
from .enums import JoinRequestState, MembershipRole, SiteRole
from .forms import (
    GrantRoleForm,
    JoinDecisionForm,
    JoinRequestForm,
    MemberRoleForm,
    OrganisationForm,
    OrganisationSearchForm,
)
from .models import JoinRequest, Membership, Organisation, RoleGrant
from .rules import could_be_provider

PAGE_SIZE = 25


def permission_required(perm):
    """403 for a signed-in person without the permission; login for anyone else."""

    def decorator(view):
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorator


def visible_organisation(user, pk) -> Organisation:
    """Members and site staff see an organisation's page; anyone else gets 404,
    so ids cannot be probed."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not user.has_perm("accounts.view_organisation", organisation):
        raise Http404
    return organisation


@login_required
def dashboard(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    pending = JoinRequest.objects.filter(user=request.user, state=JoinRequestState.PENDING).select_related(
        "organisation"
    )
    admin_org_ids = [m.organisation_id for m in memberships if m.role == MembershipRole.ADMIN]
    waiting = JoinRequest.objects.filter(organisation_id__in=admin_org_ids, state=JoinRequestState.PENDING).count()
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships,
            "pending_requests": pending,
            "waiting_for_me": waiting,
            "roles": [SiteRole(role).label for role in sorted(request.user.site_roles)],
            "offer_organisation": could_be_provider(request.user),
        },
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = domain.create_organisation(request.user, **form.cleaned_data)
        except domain.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{organisation.name} has been created. You are its admin.")
            return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form})


@login_required
def organisation_list(request):
    search = OrganisationSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    mine = Membership.objects.filter(user=request.user).select_related("organisation")
    my_org_ids = {m.organisation_id for m in mine}
    pending_ids = set(
        JoinRequest.objects.filter(user=request.user, state=JoinRequestState.PENDING).values_list(
            "organisation_id", flat=True
        )
    )
    results = None
    if query:
        found = Organisation.objects.filter(name__icontains=query).order_by("name", "pk")
        results = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "search": search,
            "query": query,
            "memberships": mine,
            "results": results,
            "my_org_ids": my_org_ids,
            "pending_ids": pending_ids,
        },
    )


@login_required
def organisation_detail(request, pk):
    organisation = visible_organisation(request.user, pk)
    is_admin = request.user.has_perm("accounts.manage_organisation", organisation)
    members = organisation.memberships.select_related("user").order_by("user__email")
    pending = organisation.join_requests.filter(state=JoinRequestState.PENDING).select_related("user")
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "is_admin": is_admin,
            "members": members,
            "pending_requests": pending if is_admin else [],
            "role_choices": MembershipRole.choices,
        },
    )


@login_required
def join_request_create(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.request_to_join(request.user, organisation, form.cleaned_data["message"])
        except domain.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your request to join {organisation.name} has been sent to its admins.")
            return redirect("accounts:dashboard")
    return render(request, "accounts/join_request_form.html", {"form": form, "organisation": organisation})


def _join_request_for_admin(user, pk) -> JoinRequest:
    join_request = get_object_or_404(JoinRequest.objects.select_related("organisation", "user"), pk=pk)
    if not user.has_perm("accounts.manage_organisation", join_request.organisation):
        raise Http404
    return join_request


@login_required
def join_request_decide(request, pk):
    join_request = _join_request_for_admin(request.user, pk)
    form = JoinDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            domain.decide_join_request(request.user, join_request, approve=approve, reason=form.cleaned_data["reason"])
        except domain.DomainError as error:
            form.add_error(None, str(error))
        else:
            verb = "approved" if approve else "refused"
            messages.success(request, f"You {verb} the request from {join_request.user.email}.")
            return redirect("accounts:organisation_detail", pk=join_request.organisation_id)
    return render(request, "accounts/join_request_decide.html", {"form": form, "join_request": join_request})


@login_required
@require_POST
def join_request_withdraw(request, pk):
    join_request = get_object_or_404(JoinRequest, pk=pk, user=request.user)
    try:
        domain.withdraw_join_request(request.user, join_request)
    except domain.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Your request has been withdrawn.")
    return redirect("accounts:dashboard")


@login_required
@require_POST
def member_role_change(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    if not request.user.has_perm("accounts.manage_organisation", membership.organisation):
        raise Http404
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select a role")
    else:
        try:
            domain.change_member_role(request.user, membership, form.cleaned_data["role"])
        except domain.DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{membership.user.email} is now {membership.get_role_display().lower()}.")
    return redirect("accounts:organisation_detail", pk=membership.organisation_id)


@permission_required("accounts.grant_roles")
@fresh_sign_in_required
def role_list(request):
    form = GrantRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.grant_role(request.user, form.user, form.cleaned_data["role"])
        except domain.DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"{form.user.email} now has the role {SiteRole(form.cleaned_data['role']).label}."
            )
            return redirect("accounts:role_list")
    grants = RoleGrant.objects.select_related("user", "granted_by", "revoked_by").order_by("-granted_at", "-pk")
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(
        RoleGrant.objects.filter(revoked_at__isnull=True).values_list("role").annotate(n=Count("pk")).order_by()
    )
    return render(
        request,
        "accounts/role_list.html",
        {
            "form": form,
            "page": page,
            "role_counts": [(label, counts.get(value, 0)) for value, label in SiteRole.choices],
        },
    )


@permission_required("accounts.grant_roles")
@require_POST
@fresh_sign_in_required(return_to="accounts:role_list")
def role_revoke(request, pk):
    grant = get_object_or_404(RoleGrant.objects.select_related("user"), pk=pk)
    try:
        domain.revoke_role(request.user, grant)
    except domain.DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{grant.user.email} no longer has the role {grant.get_role_display()}.")
    return redirect("accounts:role_list")


@permission_required("accounts.view_audit")
def audit_log(request):
    events = audit.visible_events(request.user)
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    object_type = request.GET.get("object_type", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor__email__icontains=actor)
    if object_type:
        events = events.filter(object_type=object_type)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/audit_log.html",
        {
            "page": page,
            "entries": audit_display.entries(page.object_list),
            "action": action,
            "actor": actor,
            "object_type": object_type,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_status(request):
    """For the sign-out warning on the pages of people who need two-factor
    authentication: GET tells how many seconds are left and is not activity;
    POST ("Stay signed in") is activity, and starts the idle time again
    (accounts.middleware.SessionLimitsMiddleware)."""
    seconds = getattr(request, "session_seconds_left", None)
    return JsonResponse({"seconds_left": None if seconds is None else max(0, int(seconds))})
