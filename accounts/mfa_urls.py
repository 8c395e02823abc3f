"""allauth's views for changing one's own two-factor set-up, each behind a
fresh sign-in: a password and (where set up) a code entered in the last few
minutes. Included before allauth's own URLs, at the same addresses, so these
are the ones that answer; reverse() gives the same paths."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes import views as recovery_codes
from allauth.mfa.totp import views as totp
from django.urls import path

from .decorators import fresh_sign_in_required


def activate_totp(request):
    """allauth's activation. Entering a right code to activate an
    authenticator proves this session has it: the session has passed the
    second factor, so the person carries on without typing a second code."""
    response = totp.activate_totp(request)
    if (
        request.method == "POST"
        and response.status_code == 302
        and Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    ):
        record_authentication(request, request.user, "mfa", type=Authenticator.Type.TOTP, activated=True)
    return response


# allauth's names too: both give the same addresses, and the two-factor
# middleware knows the pages by name.
urlpatterns = [
    path("totp/activate/", fresh_sign_in_required(activate_totp), name="mfa_activate_totp"),
    path("totp/deactivate/", fresh_sign_in_required(totp.deactivate_totp), name="mfa_deactivate_totp"),
    path("recovery-codes/", fresh_sign_in_required(recovery_codes.view_recovery_codes), name="mfa_view_recovery_codes"),
    path(
        "recovery-codes/generate/",
        fresh_sign_in_required(recovery_codes.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "recovery-codes/download/",
        fresh_sign_in_required(recovery_codes.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
]
