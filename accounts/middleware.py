import time

from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

# Pages anyone may use whatever their sign-in: public pages and the health check.
OPEN_PREFIXES = ("/static/", "/health/", "/help/")
OPEN_PATHS = ("/",)
# What a person who must use two-factor authentication may open before this
# session has passed it: the steps that pass it, and signing out.
TO_PASS_THE_SECOND_FACTOR = {"account_logout", "mfa_authenticate", "mfa_reauthenticate"}
# And, while they have no authenticator yet, the steps that set one up.
TO_SET_UP = {"mfa_activate_totp", "mfa_index", "account_reauthenticate"}


def session_passed_mfa(request) -> bool:
    """Whether this session, not merely the account, passed the second factor
    (allauth records each way a session authenticated, with its time)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def _open(path) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def _allowed_before_second_factor(request, setting_up: bool) -> bool:
    try:
        name = resolve(request.path_info).url_name
    except Resolver404:
        return False
    return name in TO_PASS_THE_SECOND_FACTOR or (setting_up and name in TO_SET_UP)


class RequireMfaMiddleware:
    """Judges, staff and the media partner reach no area, the Django admin
    and their own account settings included, until this session has passed
    the second factor: not the account having an authenticator, this session
    having entered a code.

    Checked on every request, not only at login, so a role granted to a
    signed-in user takes effect at once. A person with no authenticator yet
    sets one up (activating it is entering a code); anyone else enters one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if _open(request.path):
            return self.get_response(request)
        if user.is_authenticated and user.needs_mfa and not (user.has_totp and session_passed_mfa(request)):
            setting_up = not user.has_totp
            if not _allowed_before_second_factor(request, setting_up):
                if setting_up:
                    messages.info(
                        request, "Set up two-step sign-in (two-factor authentication) to use this part of the service."
                    )
                    return redirect("mfa_activate_totp")
                messages.info(request, "Enter a code from your authenticator app to continue.")
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Sessions of people who need two-factor authentication end after
    SESSION_IDLE_SECONDS without a request, and SESSION_MAX_SECONDS after
    signing in, however active. Everyone else keeps Django's session age.

    The time of the last request is written at most once a minute, so a busy
    page does not write its session on every request."""

    LAST_SEEN = "last_seen_at"
    SIGNED_IN = "signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response
        self.status_path = None

    def __call__(self, request):
        user = request.user
        # Static files and the health check are not activity, and cost no query.
        if request.path == "/health/" or request.path.startswith("/static/"):
            return self.get_response(request)
        if user.is_authenticated and user.needs_mfa:
            now = time.time()
            session = request.session
            signed_in = session.setdefault(self.SIGNED_IN, now)
            last_seen = session.get(self.LAST_SEEN, now)
            # The page's own question "how long have I left?" is not activity.
            self.status_path = self.status_path or reverse("accounts:session_status")
            passive = request.method == "GET" and request.path == self.status_path
            request.session_seconds_left = min(
                settings.SESSION_IDLE_SECONDS - (now - last_seen), settings.SESSION_MAX_SECONDS - (now - signed_in)
            )
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            if idle or now - signed_in > settings.SESSION_MAX_SECONDS:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after "
                    + (
                        f"{settings.SESSION_IDLE_SECONDS // 60} minutes without activity"
                        if idle
                        else f"{settings.SESSION_MAX_SECONDS // 3600} hours"
                    )
                    + ", to keep judging and staff accounts safe. Sign in again to carry on.",
                )
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
            if not passive and (now - last_seen >= 60 or self.LAST_SEEN not in session or request.method == "POST"):
                session[self.LAST_SEEN] = now
                request.session_seconds_left = min(
                    settings.SESSION_IDLE_SECONDS, settings.SESSION_MAX_SECONDS - (now - signed_in)
                )
        return self.get_response(request)
