"""Course providers (and academy staff) decide their cohorts' completions in
bulk: the completions waiting for them, and a list of decisions sent at once.

Each decision goes through the verification page's domain functions
(leaders.domain.verify_completion / reject_completion), which ask
`leaders.verify_completion` of each completion, write the same audit record,
queue the same email to the leader and the same webhook event.

All or nothing: the decisions are made in one transaction. If any one of
them cannot be made (no completion waiting for this person matches, it was
already decided, a rejection without a reason, ...), none is: the answer is
400 with each item's outcome, nothing is written and no email is sent; the
client corrects the items and sends the list again. An `Idempotency-Key`
header makes a retry safe (api.idempotency)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response

from core.errors import DomainError
from leaders import domain as leaders
from leaders.enums import CompletionState
from leaders.models import Completion
from leaders.rules import may_verify

from .. import idempotency
from ..registry import endpoint
from ..serializers import ErrorSerializer
from ..serializers_private import (
    CompletionBatchRefusedSerializer,
    CompletionBatchResultSerializer,
    CompletionBatchSerializer,
    WaitingCompletionSerializer,
)
from .base import ApiView
from .common import NOT_FOUND, PAGE_PARAMETERS, REFUSED, page_of, paged

NO_MATCH = "No completion waiting for your verification matches this item"
IDEMPOTENCY = OpenApiParameter(
    idempotency.HEADER,
    {"type": "string", "pattern": idempotency.KEY.pattern},
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID): the same request sent again with it is done once",
)


def _find(user, item) -> Completion | None:
    """The completion an item names, if this person may decide it; None
    otherwise (another provider's completion answers as no match)."""
    completions = Completion.objects.select_related("course__provider", "leader")
    if item.get("id") is not None:
        completion = completions.filter(pk=item["id"]).first()
    elif item.get("leader_email") and item.get("course") and item.get("completed_on"):
        completion = completions.filter(
            leader__email__iexact=item["leader_email"],
            course_id=item["course"],
            completed_on=item["completed_on"],
            state=CompletionState.SELF_DECLARED,
        ).first()
    else:
        return None
    if completion is None or not may_verify(user, completion):
        return None
    return completion


def _decide(user, item, seen: set) -> tuple[Completion | None, str]:
    """Makes one decision in its own savepoint; (the completion, "") or (None or it, why not)."""
    completion = _find(user, item)
    if completion is None:
        return None, NO_MATCH
    if completion.pk in seen:
        return completion, "This completion is already in the list"
    seen.add(completion.pk)
    try:
        with transaction.atomic():
            if item["decision"] == "verify":
                completion = leaders.verify_completion(user, completion)
            else:
                completion = leaders.reject_completion(user, completion, reason=item.get("reason", ""))
    except PermissionDenied:
        return None, NO_MATCH
    except DomainError as error:
        return completion, str(error)
    return completion, ""


def _outcome(index, completion, error) -> dict:
    return {
        "index": index,
        "ok": not error,
        "id": completion.pk if completion is not None else None,
        "state": completion.state if completion is not None and not error else "",
        "error": error,
    }


@endpoint(scope="academy:read", write_scope="academy:write", rule="api.decide_completions")
class CompletionDecisions(ApiView):
    """GET: the completions waiting for this person's verification, oldest
    first (the verification queue). POST: decisions on a list of them."""

    @extend_schema(
        operation_id="provider_completions_list",
        summary="Completions waiting for your verification",
        parameters=PAGE_PARAMETERS,
        responses={200: page_of(WaitingCompletionSerializer, "WaitingCompletion"), **NOT_FOUND, **REFUSED},
        tags=["Course providers"],
    )
    def get(self, request):
        waiting = (
            leaders.completions_to_verify(request.user)
            .select_related("leader", "course")
            .order_by("created_at", "pk")
            .distinct()
        )
        return paged(self, request, waiting, WaitingCompletionSerializer)

    @extend_schema(
        operation_id="provider_completions_decide",
        summary="Verify or reject a cohort's completions, all or none",
        parameters=[IDEMPOTENCY],
        request=CompletionBatchSerializer,
        responses={
            200: CompletionBatchResultSerializer,
            400: OpenApiResponse(CompletionBatchRefusedSerializer, description="Nothing was decided: see why"),
            409: OpenApiResponse(ErrorSerializer, description="The same Idempotency-Key sent twice at once"),
            422: OpenApiResponse(ErrorSerializer, description="An Idempotency-Key reused with another body"),
            **REFUSED,
        },
        tags=["Course providers"],
    )
    def post(self, request):
        batch = CompletionBatchSerializer(data=request.data)
        if not batch.is_valid():
            return Response({"detail": "Check the request: some values are not valid", "errors": batch.errors}, 400)
        return idempotency.run_once(request, "api:provider_completions", lambda: self._decide_all(request, batch))

    def _decide_all(self, request, batch):
        outcomes, seen = [], set()
        for index, item in enumerate(batch.validated_data["completions"]):
            completion, error = _decide(request.user, item, seen)
            outcomes.append(_outcome(index, completion, error))
        failed = sum(1 for outcome in outcomes if not outcome["ok"])
        if failed:
            idempotency.refuse(
                Response(
                    {
                        "detail": f"{failed} of {len(outcomes)} could not be decided: none was. "
                        "Correct them and send the list again",
                        "results": outcomes,
                    },
                    status=400,
                )
            )
        return Response({"detail": f"{len(outcomes)} decided", "results": outcomes})
