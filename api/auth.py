"""`Authorization: Bearer <token>`: a personal access token stands for its
person, with the roles they hold at the moment of the request (the user is
loaded afresh for every request, so a role taken away is gone at once)."""

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from . import domain


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Give the token after 'Bearer', separated by one space")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("The token is not valid") from None
        token = domain.find_token(secret)
        if token is None:
            raise AuthenticationFailed("The token is not valid")
        if not token.user.has_perm("api.use_token", token):
            if token.revoked_at is not None:
                raise AuthenticationFailed("The token was revoked")
            if not token.user.is_active:
                raise AuthenticationFailed("The token's account is closed")
            raise AuthenticationFailed("The token has expired")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
