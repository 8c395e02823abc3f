"""Signing a test client in as a completed sign-in would: for the test suite
and the benchmark, which sign people in without typing passwords."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

from .middleware import SessionLimitsMiddleware


def record_sign_in(client, user, *methods):
    """Writes the session's record of how it signed in, as allauth keeps it
    ("password", "mfa"), and the times the first request after signing in
    leaves (accounts.middleware): the two-factor middleware, the session
    limits and the fresh-sign-in check read them."""
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": method, "at": now} for method in methods]
    session["account_authentication_methods_user"] = str(user.pk)
    session[SessionLimitsMiddleware.SIGNED_IN] = session[SessionLimitsMiddleware.LAST_SEEN] = now
    session.save()


def sign_in_fully(client, user):
    """force_login, then the record of a password and a code entered just now."""
    client.force_login(user)
    record_sign_in(client, user, "password", "mfa")
