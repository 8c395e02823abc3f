"""Who may create, revoke and use personal access tokens (django-rules)."""

from dataclasses import dataclass

import rules

from accounts.rules import is_academy_staff, is_site_staff
from courses.rules import provides_courses


@dataclass(frozen=True)
class SignIn:
    """How the session asking to create a token signed in: whether it passed
    the second factor itself (accounts.middleware.session_passed_mfa), not
    merely whether the account has an authenticator."""

    passed_second_factor: bool


@rules.predicate
def has_two_factor(user):
    return user.is_authenticated and user.has_totp


@rules.predicate
def session_passed_second_factor(user, sign_in):
    return isinstance(sign_in, SignIn) and sign_in.passed_second_factor


@rules.predicate
def owns_token(user, token):
    return user.is_authenticated and token is not None and token.user_id == user.pk


@rules.predicate
def may_act_through_token(user, token):
    """A token is used only while its person's account is active and the token
    is neither revoked nor expired."""
    return token is not None and token.user_id == user.pk and user.is_active and token.is_usable()


# A token is a password that never asks for a code: only a person whose
# account has two-factor authentication, in a session that passed it, creates one.
rules.add_perm("api.create_token", rules.is_active & has_two_factor & session_passed_second_factor)
rules.add_perm("api.revoke_token", owns_token | is_site_staff)
rules.add_perm("api.use_token", may_act_through_token)


# Deciding completions through the API: whoever has a verification queue
# (a member of a course provider, or academy staff); each completion is
# still asked `leaders.verify_completion` by leaders.domain.
rules.add_perm("api.decide_completions", provides_courses | is_academy_staff)
