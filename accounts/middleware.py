from django.contrib import messages
from django.shortcuts import redirect

# Paths a person without two-factor authentication may still use: signing
# in and out, setting MFA up, public pages and the health check.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/health/", "/help/")
MFA_EXEMPT_PATHS = ("/",)


class RequireMfaMiddleware:
    """Judges and staff cannot reach any area until TOTP is set up.

    Checked on every request, not only at login, so a role granted to a
    signed-in user takes effect at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.path not in MFA_EXEMPT_PATHS
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and user.needs_mfa
            and not user.has_totp
        ):
            messages.info(request, "Set up two-factor authentication to use this part of the service.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)
