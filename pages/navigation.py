"""The service navigation: what each signed-in person can reach.

It lives in pages, above every app, because it links every app's areas;
apps never import it.
"""

from django.urls import reverse

from accounts.enums import OrganisationKind


def navigation_for(request):
    user = getattr(request, "user", None)
    items = [("Home", reverse("home")), ("Winners", reverse("winners:index")), ("Courses", reverse("courses:register"))]
    if user is not None and user.is_authenticated:
        items.append(("Your account", reverse("accounts:dashboard")))
        items.append(("Organisations", reverse("accounts:organisation_list")))
        # Loaded once a request with the roles (accounts.models.Access).
        in_care_provider = OrganisationKind.CARE_PROVIDER in user.organisation_kinds
        in_course_provider = OrganisationKind.COURSE_PROVIDER in user.organisation_kinds
        items.append(("Your portfolio", reverse("leaders:portfolio")))
        if in_care_provider:
            items.append(("Nominations", reverse("awards:dashboard")))
        if user.has_perm("courses.manage"):
            items.append(("Manage courses", reverse("courses:manage")))
            items.append(("Accreditation", reverse("accreditation:staff")))
            items.append(("DASS compliance", reverse("leaders:dashboard")))
        elif in_course_provider:
            items.append(("Your courses", reverse("courses:mine")))
            items.append(("Accreditation", reverse("accreditation:home")))
        if user.has_perm("judging.judge"):
            items.append(("Judging", reverse("judging:home")))
        if user.has_perm("awards.manage"):
            items.append(("Manage awards", reverse("awards:manage_cycles")))
            items.append(("Manage judging", reverse("judging:manage")))
        if user.has_perm("judging.press_pack"):
            items.append(("Press", reverse("judging:press")))
        if user.has_perm("accounts.grant_roles"):
            items.append(("Site roles", reverse("accounts:role_list")))
        if user.has_perm("accounts.view_audit"):
            items.append(("Audit log", reverse("accounts:audit_log")))
        if user.has_perm("notifications.view_ledger"):
            items.append(("Reminders", reverse("notifications:ledger")))
    path = request.path if request is not None else ""
    nav = []
    for text, href in items:
        active = path == href if href == "/" else path.startswith(href)
        nav.append({"text": text, "href": href, "active": active})
    # Only the longest matching link is marked current.
    active_items = [item for item in nav if item["active"]]
    if len(active_items) > 1:
        longest = max(active_items, key=lambda item: len(item["href"]))
        for item in active_items:
            item["active"] = item is longest
    return nav
