from django.conf import settings

from config.navigation import navigation_for


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
    }
