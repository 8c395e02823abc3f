"""Site-wide pages: home, help pages, health check and error pages."""

import logging
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache

from pages.context_processors import contact_details

from .homes import home_for

logger = logging.getLogger(__name__)


def home(request):
    """The service's front page; signed in, "Your home": a section for each
    role the person holds, with their work, next steps and deadlines."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    return render(request, "pages/home.html", {"sections": home_for(request.user)})


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
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Redis itself: the cache carries on in the database when Redis is down
        # (core.caching), and this check is how anyone hears of it.
        backend._cache.get_client(write=True).ping()
        return
    key = f"health-{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value written")
    cache.delete(key)


def _check_broker():
    # The project's Celery app (config.celery), the current one once Django is set up.
    from celery import current_app

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _check_storage():
    """Reading only: asks storage whether a file exists, which needs it to
    answer, without writing anything on an anonymous call."""
    default_storage.exists("health/probe.txt")


def _check_storage_round_trip():
    """For staff and monitoring: writes, reads back and deletes a small file."""
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


def _may_see_health_detail(request) -> bool:
    token = settings.HEALTH_TOKEN
    given = request.headers.get("X-Health-Token", "")
    if token and constant_time_compare(given, token):
        return True
    return request.user.has_perm("pages.see_health_detail")


@never_cache
def health(request):
    """200 when every dependency answers, 503 when one does not. Which one
    fails is told only to site staff and to monitoring that sends the
    HEALTH_TOKEN (X-Health-Token header): anyone else learns only that the
    service is up or not. Only they also get the storage write test."""
    detailed = _may_see_health_detail(request)
    checks = {**HEALTH_CHECKS, "storage": _check_storage_round_trip} if detailed else HEALTH_CHECKS
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as error:
            logger.warning("Health check %s failed: %s", name, error)
            results[name] = "failing"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    body = {"status": "ok" if healthy else "failing"}
    if detailed:
        body["checks"] = results
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
def privacy_data(request):
    """Download everything held about you, or delete your account. Deleting
    needs a fresh sign-in (a password and, where set up, a code entered in
    the last few minutes): the form shows only then, so nothing typed into
    it is lost to the check."""
    from accounts.decorators import missing_step

    from . import privacy

    fresh = missing_step(request) is None
    if request.method == "POST":
        if not fresh:
            return render(
                request,
                "help/your_data.html",
                {"fresh": False, "error": "Confirm it is you before deleting your account"},
                status=403,
            )
        if request.POST.get("confirm") != "delete my account":
            return render(
                request, "help/your_data.html", {"fresh": True, "error": "Type “delete my account” to confirm"}
            )
        privacy.delete_account(request.user)
        logout(request)
        return render(request, "help/account_deleted.html")
    if request.GET.get("format") == "json":
        response = JsonResponse(
            privacy.export_for(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
        )
        response["Content-Disposition"] = 'attachment; filename="your-data.json"'
        return response
    return render(request, "help/your_data.html", {"fresh": fresh})


def baseline(request):
    """The benchmark's yardstick: one trivial query and a minimal template.
    Rendered without the request so that no context processor (such as the
    navigation's) adds work of its own."""
    _check_database()
    return HttpResponse(loader.render_to_string("baseline.html"))


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    """The 403 page names no role: it gives the reason when the refusal
    carries one (PermissionDenied("...")) and says what anyone can do."""
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return render_plain("500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def render_plain(template_name, status):
    # Settings only: nothing here may touch the database.
    context = {"service_name": settings.SERVICE_NAME, "contact": contact_details()}
    return HttpResponse(loader.get_template(template_name).render(context), status=status)
