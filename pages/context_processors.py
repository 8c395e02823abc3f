from django.conf import settings

from pages.navigation import navigation_for


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        "contact": contact_details(),
        "navigation": navigation_for(request),
        # The sign-out warning, for people whose sessions time out (accounts.middleware).
        "session_timeout": {
            "seconds_left": int(request.session_seconds_left),
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
        }
        if user is not None and user.is_authenticated and getattr(request, "session_seconds_left", None) is not None
        else None,
    }


def contact_details() -> dict:
    """Who to contact (settings AWARDS_CONTACT_EMAIL, AWARDS_CONTACT_PHONE,
    ACADEMY_CONTACT_EMAIL): shown in the footer and where a page says "contact"."""
    return {
        "awards_email": settings.AWARDS_CONTACT_EMAIL,
        "awards_phone": settings.AWARDS_CONTACT_PHONE,
        "academy_email": settings.ACADEMY_CONTACT_EMAIL,
    }
