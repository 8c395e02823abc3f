from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The Django admin signs in through the service's own login (its rate limits,
# two-factor authentication); accounts.middleware keeps sessions that have not
# passed the second factor out of /admin/ as out of every staff area.
admin.site.login = secure_admin_login(admin.site.login)

admin.site.site_header = "Social Care Awards and Leadership Academy: site administration"
admin.site.site_title = "Site administration"

urlpatterns = [
    path("", include("pages.urls")),
    # Changing one's own two-factor set-up needs a fresh sign-in (accounts.mfa_urls).
    path("accounts/2fa/", include("accounts.mfa_urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("awards/", include("awards.urls")),
    path("judging/", include("judging.urls")),
    path("winners/", include("judging.public_urls")),
    path("courses/", include("courses.urls")),
    path("open-data/", include("courses.open_data_urls")),
    path("accreditation/", include("accreditation.urls")),
    path("leaders/", include("leaders.urls")),
    path("regulator/", include("regulator.urls")),
    path("credentials/", include("leaders.credential_urls")),
    path("reminders/", include("notifications.urls")),
    path("exports/", include("core.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("admin/", admin.site.urls),
    # The API (/api/, /api/v1/, /openapi.json) and the account's API tokens.
    path("", include("api.urls")),
    path("account/api-tokens/", include("api.token_urls")),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
