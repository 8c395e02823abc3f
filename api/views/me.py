"""Who a token belongs to: the example of a token-authenticated endpoint."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from accounts.models import Membership

from ..registry import ANY_SCOPE, endpoint
from ..serializers import ErrorSerializer, MeSerializer
from .base import ApiView


@endpoint(scope=ANY_SCOPE)
class Me(ApiView):
    """The token's person, the site roles they hold now, their organisations,
    and the token itself (never its secret)."""

    @extend_schema(
        operation_id="me_retrieve",
        summary="The token's person and scopes",
        responses={
            200: MeSerializer,
            401: OpenApiResponse(ErrorSerializer, description="No token, or a token not valid, expired or revoked"),
            429: OpenApiResponse(ErrorSerializer, description="Too many requests: wait for the seconds in Retry-After"),
        },
        tags=["Account"],
    )
    def get(self, request):
        user, token = request.user, request.auth
        memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
        return Response(
            MeSerializer(
                {
                    "id": user.pk,
                    "email": user.email,
                    "name": user.full_name,
                    "roles": sorted(user.site_roles),
                    "organisations": [
                        {
                            "id": m.organisation_id,
                            "name": m.organisation.name,
                            "role": m.role,
                            "kinds": m.organisation.kinds,
                        }
                        for m in memberships
                    ],
                    "token": token,
                }
            ).data
        )
