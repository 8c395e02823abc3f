from django.urls import path

from . import views

app_name = "accreditation"

urlpatterns = [
    path("", views.provider_home, name="home"),
    path("courses/<int:course_pk>/apply/", views.start, name="start"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/save/", views.save_application, name="save"),
    path("applications/<int:pk>/upload/", views.upload_evidence, name="upload"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/submit/confirm/", views.confirm_submit, name="confirm_submit"),
    path("applications/<int:pk>/letter.pdf", views.letter, name="letter"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("conditions/<int:pk>/respond/", views.condition_response, name="condition_response"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/applications/<int:pk>/", views.assess, name="assess"),
    path("staff/applications/<int:pk>/assign/", views.assign, name="assign"),
    path("staff/applications/<int:pk>/assessment/", views.save_assessment, name="save_assessment"),
    path("staff/applications/<int:pk>/return/", views.return_for_information, name="return"),
    path("staff/applications/<int:pk>/decide/", views.decide, name="decide"),
    path("staff/applications/<int:pk>/confirm/", views.confirm_decision, name="confirm_decision"),
    path("staff/accreditations/<int:pk>/", views.accreditation_status, name="status"),
    path("staff/accreditations/<int:pk>/confirm/", views.confirm_status, name="confirm_status"),
    path("staff/conditions/<int:pk>/met/", views.condition_met, name="condition_met"),
    path("staff/course-changes/<int:pk>/", views.course_change, name="course_change"),
    path("staff/course-changes/<int:pk>/accept/", views.accept_course_change, name="accept_course_change"),
    path("credentials/<uuid:uuid>/", views.credential, name="credential"),
    path("credentials/<uuid:uuid>/credential.json", views.credential_document, name="credential_document"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify, name="verify_number"),
]
