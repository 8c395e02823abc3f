"""Webhook endpoint pages: thin views over webhooks.domain."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from accounts.enums import MembershipRole
from accounts.models import Organisation
from accounts.views import permission_required
from core.errors import DomainError
from core.paging import get_page

from . import domain
from .enums import Team
from .forms import EndpointForm
from .models import Delivery, Endpoint


def managed_teams(user) -> list[str]:
    return [team for team in Team if user.has_perm("webhooks.manage_team_endpoints", team)]


@permission_required("webhooks.view_endpoints")
def index(request):
    """Every endpoint the person manages, by owner: their organisations (as
    an admin) and their staff teams."""
    organisations = list(
        Organisation.objects.filter(memberships__user=request.user, memberships__role=MembershipRole.ADMIN).order_by(
            "name"
        )
    )
    teams = managed_teams(request.user)
    endpoints = Endpoint.objects.filter(Q(organisation__in=organisations) | Q(team__in=teams)).order_by(
        "disabled_at", "-created_at", "-pk"
    )
    by_organisation, by_team = {}, {}
    for endpoint in endpoints:
        if endpoint.organisation_id:
            by_organisation.setdefault(endpoint.organisation_id, []).append(endpoint)
        else:
            by_team.setdefault(endpoint.team, []).append(endpoint)
    owners = [
        {
            "name": org.name,
            "endpoints": by_organisation.get(org.pk, []),
            "add_url": reverse("webhooks:create_for_organisation", args=[org.pk]),
        }
        for org in organisations
    ] + [
        {
            "name": Team(team).label,
            "endpoints": by_team.get(team, []),
            "add_url": reverse("webhooks:create_for_team", args=[team]),
        }
        for team in teams
    ]
    return render(request, "webhooks/index.html", {"owners": owners})


def _create(request, *, organisation=None, team=""):
    form = EndpointForm(request.POST or None, allowed_events=domain.allowed_events(organisation, team))
    owner_name = organisation.name if organisation else Team(team).label
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = domain.create_endpoint(
                request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                organisation=organisation,
                team=team,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            # The secret is shown on this one response and never again: no redirect
            # to a page that could show it, and nothing stores the page.
            response = render(request, "webhooks/endpoint_created.html", {"endpoint": endpoint})
            add_never_cache_headers(response)
            return response
    return render(request, "webhooks/endpoint_form.html", {"form": form, "owner_name": owner_name})


@login_required
def create_for_organisation(request, pk):
    """An organisation's admins register its endpoints; anyone else gets 404."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not request.user.has_perm("webhooks.manage_organisation_endpoints", organisation):
        raise Http404
    return _create(request, organisation=organisation)


@login_required
def create_for_team(request, team):
    if team not in Team.values:
        raise Http404
    if not request.user.has_perm("webhooks.manage_team_endpoints", team):
        raise PermissionDenied
    return _create(request, team=team)


def _managed_endpoint(user, pk) -> Endpoint:
    endpoint = get_object_or_404(Endpoint.objects.select_related("organisation"), pk=pk)
    if not user.has_perm("webhooks.manage_endpoint", endpoint):
        raise Http404
    return endpoint


@login_required
def endpoint_detail(request, pk):
    """The endpoint and its deliveries, newest first, each with its last status."""
    endpoint = _managed_endpoint(request.user, pk)
    deliveries = Delivery.objects.filter(endpoint=endpoint).select_related("event").order_by("-created_at", "-pk")
    page = get_page(deliveries, request.GET.get("page"))
    return render(request, "webhooks/endpoint_detail.html", {"endpoint": endpoint, "page": page})


@login_required
@require_POST
def disable(request, pk):
    endpoint = _managed_endpoint(request.user, pk)
    try:
        domain.disable_endpoint(request.user, endpoint)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The endpoint {endpoint.url} is disabled: nothing more will be sent to it.")
    return redirect("webhooks:endpoint", pk=endpoint.pk)


@login_required
@require_POST
def replay(request, pk):
    delivery = get_object_or_404(Delivery.objects.select_related("endpoint__organisation"), pk=pk)
    if not request.user.has_perm("webhooks.manage_endpoint", delivery.endpoint):
        raise Http404
    try:
        domain.replay_delivery(request.user, delivery)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The event will be sent again.")
    return redirect("webhooks:endpoint", pk=delivery.endpoint_id)
