from django.urls import path

from .views import consent, equity, manage, provider

app_name = "awards"

urlpatterns = [
    path("", provider.dashboard, name="dashboard"),
    path("nominations/new/", provider.start, name="start"),
    path("nominations/<int:pk>/", provider.nomination, name="nomination"),
    path("nominations/<int:pk>/service/", provider.edit_service, name="edit_service"),
    path("nominations/<int:pk>/answers/", provider.edit_answers, name="edit_answers"),
    path("nominations/<int:pk>/statement/", provider.edit_statement, name="edit_statement"),
    path("nominations/<int:pk>/consent/", provider.edit_consent, name="edit_consent"),
    path("nominations/<int:pk>/people-consent/<str:subject>/", consent.person_consent, name="person_consent"),
    path(
        "nominations/<int:pk>/people-consent/<str:subject>/withdraw/",
        consent.person_consent_withdraw,
        name="person_consent_withdraw",
    ),
    path("nominations/<int:pk>/evidence/", provider.evidence, name="evidence"),
    path("nominations/<int:pk>/evidence/<int:evidence_pk>/remove/", provider.evidence_remove, name="evidence_remove"),
    path("nominations/<int:pk>/images/", provider.images, name="images"),
    path("nominations/<int:pk>/check/", provider.check_answers, name="check_answers"),
    path("nominations/<int:pk>/submitted/", provider.submitted, name="submitted"),
    path("nominations/<int:pk>/withdraw/", provider.withdraw, name="withdraw"),
    path("evidence/<int:evidence_pk>/", provider.evidence_download, name="evidence_download"),
    path("manage/", manage.cycles, name="manage_cycles"),
    path("manage/cycles/new/", manage.cycle_create, name="manage_cycle_create"),
    path("manage/cycles/<int:pk>/", manage.cycle_detail, name="manage_cycle"),
    path("manage/cycles/<int:pk>/edit/", manage.cycle_edit, name="manage_cycle_edit"),
    path("manage/cycles/<int:pk>/balance/", manage.sector_balance, name="manage_sector_balance"),
    path("manage/cycles/<int:pk>/equity/", equity.manage_report, name="manage_equity"),
    path("results/<int:pk>/equity/", equity.public_report, name="equity_public"),
    path("manage/cycles/<int:cycle_pk>/categories/new/", manage.category_form, name="manage_category_create"),
    path("manage/cycles/<int:cycle_pk>/categories/<int:pk>/edit/", manage.category_form, name="manage_category_edit"),
    path("manage/categories/<int:pk>/", manage.category_detail, name="manage_category"),
    path("manage/categories/<int:pk>/questions/new/", manage.question_create, name="manage_question_create"),
    path("manage/categories/<int:pk>/criteria/new/", manage.criterion_create, name="manage_criterion_create"),
    path("manage/questions/<int:pk>/", manage.question_edit, name="manage_question"),
    path("manage/questions/<int:pk>/delete/", manage.question_delete, name="manage_question_delete"),
    path("manage/criteria/<int:pk>/", manage.criterion_edit, name="manage_criterion"),
    path("manage/criteria/<int:pk>/delete/", manage.criterion_delete, name="manage_criterion_delete"),
    path("manage/nominations/", manage.nomination_list, name="manage_nominations"),
    path("manage/nominations/<int:pk>/", manage.nomination_detail, name="manage_nomination"),
    path("manage/nominations/<int:pk>/eligibility/", manage.decide_eligibility, name="manage_eligibility"),
    path("manage/nominations/<int:pk>/extension/", manage.grant_extension, name="manage_extension"),
]
