"""A person's personal access tokens: listed, created (shown once) and revoked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.middleware import session_passed_mfa
from core.errors import DomainError

from . import domain
from .forms import TokenForm
from .models import ApiToken
from .rules import SignIn


def _status(token, now) -> str:
    if token.revoked_at is not None:
        return "Revoked"
    return "Active" if token.is_usable(now) else "Expired"


@login_required
def token_list(request):
    """The person's tokens, newest first, with when each was last used."""
    now = timezone.now()
    tokens = list(ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk"))
    rows = [{"token": token, "status": _status(token, now), "usable": token.is_usable(now)} for token in tokens]
    return render(
        request,
        "api/token_list.html",
        {"rows": rows, "has_two_factor": request.user.has_totp, "docs_url": reverse("api:docs")},
    )


@login_required
def token_create(request):
    """Only a person with two-factor authentication, in a session that passed
    it, creates a token; the token is shown on the answer to the form and
    never again (only its digest is kept)."""
    if not request.user.has_totp:
        return render(request, "api/token_needs_two_factor.html")
    if not session_passed_mfa(request):
        messages.info(request, "Enter a code from your authenticator app to create a token.")
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = domain.create_token(
                request.user, sign_in=SignIn(passed_second_factor=True), **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            response = render(request, "api/token_created.html", {"token": token, "secret": secret})
            add_never_cache_headers(response)
            return response
    return render(request, "api/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request, pk):
    """The person's own token only: any other id answers 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    domain.revoke_token(request.user, token)
    messages.success(request, f"The token ‘{token.name}’ was revoked: it no longer works.")
    return redirect("api_tokens:list")
