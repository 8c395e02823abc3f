"""A fresh sign-in before the few actions that must not be taken from an
unattended or stolen session: deleting an account, granting or revoking
site roles, and changing one's own two-factor set-up."""

import time
from functools import wraps

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def missing_step(request) -> str | None:
    """The sign-in step this session must take again, or None: a password
    entered within REAUTHENTICATION_SECONDS and, for a person with an
    authenticator, a code entered within it too (each allauth records)."""
    now = time.time()
    recent = {
        record.get("method")
        for record in get_authentication_records(request, request.user)
        if now - record.get("at", 0) <= settings.REAUTHENTICATION_SECONDS
    }
    if "password" not in recent:
        return "account_reauthenticate"
    if request.user.has_totp and "mfa" not in recent:
        return "mfa_reauthenticate"
    return None


def fresh_sign_in_required(view=None, *, return_to=None):
    """Sends the person to enter their password, then their code, and back:
    to this page, or for a form that only posts here, to `return_to` (a URL
    name), where they press the button again."""
    if view is None:
        return lambda view: fresh_sign_in_required(view, return_to=return_to)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        step = missing_step(request) if request.user.is_authenticated else "account_login"
        if step is None:
            return view(request, *args, **kwargs)
        if step != "account_login":
            messages.info(request, "For your security, confirm it is you before you carry on.")
        after = reverse(return_to) if return_to else request.get_full_path()
        return redirect(f"{reverse(step)}?{urlencode({'next': after})}")

    return wrapped
