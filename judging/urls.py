from django.urls import path

from .views import judge, panel, public

app_name = "judging"

urlpatterns = [
    path("", judge.home, name="home"),
    path("profile/", judge.profile, name="profile"),
    path("conflicts/", judge.conflicts, name="conflicts"),
    path("conflicts/<int:organisation_pk>/declare/", judge.declare_conflict, name="declare_conflict"),
    path("invitations/<str:token>/", judge.accept_invitation, name="accept_invitation"),
    path("assignments/<int:pk>/", judge.score, name="score"),
    path("assignments/<int:pk>/others/", judge.others_scores, name="others_scores"),
    path("assignments/<int:pk>/conflict/", judge.conflict_from_assignment, name="conflict_from_assignment"),
    path("assignments/<int:pk>/evidence/<int:evidence_pk>/", judge.evidence_download, name="evidence"),
    path("visits/<int:pk>/", judge.visit, name="visit"),
    path("visits/<int:pk>/invitation.ics", judge.visit_ics, name="visit_ics"),
    path("manage/", panel.manage_index, name="manage"),
    path("manage/judges/", panel.judges, name="judges"),
    path("manage/cycles/<int:pk>/", panel.cycle_panels, name="cycle_panels"),
    path("manage/cycles/<int:pk>/approve/", panel.approve_results, name="approve_results"),
    path("manage/cycles/<int:pk>/withdraw/", panel.withdraw_results, name="withdraw_results"),
    path("panels/<int:pk>/reopen/", panel.reopen_panel, name="reopen_panel"),
    path("panels/<int:pk>/no-award/", panel.no_award, name="no_award"),
    path("manage/cycles/<int:pk>/export/<str:kind>.<str:fmt>", panel.export, name="export"),
    path("manage/cycles/<int:pk>/distribution/", panel.distribution, name="distribution"),
    path("panels/<int:pk>/", panel.panel_detail, name="panel"),
    path("panels/<int:pk>/results/", panel.results, name="results"),
    path("panels/<int:pk>/shortlist/", panel.shortlist, name="shortlist"),
    path("panels/<int:pk>/reopen/<int:assignment_pk>/", panel.reopen_scores, name="reopen_scores"),
    path("panels/<int:pk>/visits/", panel.visits, name="visits"),
    path("panels/<int:pk>/final/", panel.final, name="final"),
    path("nominations/<int:nomination_pk>/visit/", panel.visit_form, name="visit_new"),
    path("nominations/<int:nomination_pk>/visit/<int:pk>/", panel.visit_form, name="visit_edit"),
    path("feedback/<int:pk>/", public.feedback, name="feedback"),
    path("press/", public.press_index, name="press"),
    path("press/<int:pk>/pack.zip", public.press_pack, name="press_pack"),
]
