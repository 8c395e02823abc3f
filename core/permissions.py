"""Asking a permission in domain functions and views.

Who may do what is declared once, as django-rules predicates and permissions
in each app's rules.py; everything else asks through these."""

from django.core.exceptions import PermissionDenied


def require(user, perm: str, obj=None) -> None:
    """Refuses (403) unless `user` has `perm` (on `obj`), as declared in a rules.py."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def require_that(predicate, *args) -> None:
    """Refuses (403) unless the rules predicate holds for these arguments."""
    if not predicate(*args):
        raise PermissionDenied
