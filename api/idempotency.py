"""`Idempotency-Key`: a client that did not get an answer to a write sends
the same request again with the same key, and nothing is done twice.

The first request with a key runs, and its answer is stored in the same
transaction as its writes (api.models.IdempotentRequest). The same key again,
with the same body, gets that stored answer (header `Idempotent-Replayed:
true`) and changes nothing; with another body it is refused (422). Only a
successful write is stored: a refused request wrote nothing, so it may be
corrected and sent again with the same key. Two requests with one key at
the same moment: one is done, the other is refused (409) and writes nothing.
Keys are per person and endpoint."""

import hashlib
import json
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class _Refused(Exception):
    """Unwinds the write's transaction, carrying the answer to give instead."""

    def __init__(self, response):
        self.response = response


def refuse(response) -> None:
    """Ends a write inside `run_once` with `response` (a 4xx), undoing
    everything it wrote and dropping its queued emails (transaction.on_commit)."""
    raise _Refused(response)


def fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def run_once(request, endpoint: str, write) -> Response:
    """Runs `write()` (which returns a Response, or calls `refuse`) in one
    transaction, at most once per Idempotency-Key."""
    key = request.headers.get(HEADER)
    if key is not None and not KEY.match(key):
        return Response(
            {"detail": f"{HEADER} has 1 to 100 letters, digits, dots, colons, hyphens or underscores"}, status=400
        )
    body = fingerprint(request.data)
    try:
        with transaction.atomic():
            if key is not None:
                stored = IdempotentRequest.objects.filter(user=request.user, endpoint=endpoint, key=key).first()
                if stored is not None:
                    if stored.fingerprint != body:
                        return Response({"detail": f"This {HEADER} was used with another request body"}, status=422)
                    return Response(stored.response, status=stored.status, headers={"Idempotent-Replayed": "true"})
            response = write()
            if key is not None:
                _store(request, endpoint, key, body, response)
            return response
    except _Refused as refused:
        return refused.response


def _store(request, endpoint, key, body, response) -> None:
    try:
        with transaction.atomic():
            IdempotentRequest.objects.create(
                user=request.user,
                endpoint=endpoint,
                key=key,
                fingerprint=body,
                status=response.status_code,
                response=json.loads(json.dumps(response.data, default=str)),
                created_at=timezone.now(),
            )
    except IntegrityError:
        # The same key was stored meanwhile by a request made at the same moment.
        refuse(Response({"detail": f"Another request with this {HEADER} was being made: send it again"}, status=409))
