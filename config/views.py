"""Site-wide pages: home, help pages, health check and error pages."""

import logging
import uuid

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


def accessibility_statement(request):
    return render(request, "help/accessibility.html")


def privacy_notice(request):
    return render(request, "help/privacy.html")


def cookies(request):
    return render(request, "help/cookies.html")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = f"health-{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value written")
    cache.delete(key)


def _check_broker():
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _check_storage():
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage did not return the bytes written")
    finally:
        default_storage.delete(name)


HEALTH_CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "storage": _check_storage,
}


@never_cache
def health(request):
    """200 when every dependency answers, 503 naming the ones that do not."""
    results = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("Health check %s failed: %s", name, error)
            results[name] = "failing"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503)


@login_required
def privacy_data(request):
    from . import privacy

    if request.method == "POST":
        if request.POST.get("confirm") != "delete my account":
            return render(request, "help/your_data.html", {"error": "Type “delete my account” to confirm"})
        privacy.delete_account(request.user)
        logout(request)
        return render(request, "help/account_deleted.html")
    if request.GET.get("format") == "json":
        response = JsonResponse(
            privacy.export_for(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
        )
        response["Content-Disposition"] = 'attachment; filename="your-data.json"'
        return response
    return render(request, "help/your_data.html")


def baseline(request):
    """The benchmark's yardstick: one trivial query and a minimal template.
    Rendered without the request so that no context processor (such as the
    navigation's) adds work of its own."""
    _check_database()
    return HttpResponse(loader.render_to_string("baseline.html"))


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return render_plain("500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def render_plain(template_name, status):
    return HttpResponse(loader.get_template(template_name).render({}), status=status)
