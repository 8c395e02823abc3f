import contextlib

from django.core.exceptions import BadRequest


class RejectNulCharactersMiddleware:
    """No text this service stores or searches may hold a NUL character
    (PostgreSQL refuses it), and no person types one: a request carrying one
    in its address is refused with a 400 before any view runs. Forms refuse
    NUL in posted fields themselves, with a message on the field."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # lists(), not items(): items() shows only the last value of a repeated name.
        values = (text for key, values in request.GET.lists() for text in (key, *values))
        if "\x00" in request.path or any("\x00" in text for text in values):
            raise BadRequest("The web address contains a character that is not allowed.")
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuses a request body larger than its address accepts, from the
    Content-Length header, before anything (CSRF, sessions, the form parser)
    reads a byte of it: a 2 GB post to the sign-in page is answered with 413
    at once instead of being spooled to disk.

    Views that take files carry their limit (core.uploads.accepts_uploads);
    every other address takes an ordinary form (FORM_BODY_LIMIT). A body
    without a Content-Length (chunked) is refused: browsers always send one,
    and the proxy in front buffers and sizes what it passes on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.urls import Resolver404, resolve

        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH") or ""
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refusal(411, "Send the request with its length.")
        try:
            size = int(length or 0)
        except ValueError:
            return _refusal(400, "The request's length is not a number.")
        limit = settings.FORM_BODY_LIMIT
        if size > limit:
            with contextlib.suppress(Resolver404):
                limit = getattr(resolve(request.path_info).func, "upload_limit", limit)
        if size > limit:
            return _refusal(413, f"The request is too large: this page accepts at most {limit // (1024 * 1024)} MB.")
        return self.get_response(request)


def _refusal(status, message):
    from django.http import HttpResponse

    # gunicorn closes the connection after every response (gunicorn.conf.py),
    # so the rest of a refused body is never read.
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
