from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.course_detail, name="detail"),
    path("mine/", views.my_courses, name="mine"),
    path("mine/import/", views.provider_import, name="provider_import"),
    path("mine/import/template.csv", views.provider_import_template, name="provider_import_template"),
    path("new/", views.course_form, name="create"),
    path("<int:pk>/edit/", views.course_form, name="edit"),
    path("<int:pk>/state/", views.course_state, name="state"),
    path("manage/", views.manage, name="manage"),
    path("manage/drafts/", views.drafts, name="drafts"),
    path("manage/framework/<str:kind>/new/", views.framework_item, name="framework_create"),
    path("manage/framework/<str:kind>/<int:pk>/", views.framework_item, name="framework_edit"),
    path("manage/import/", views.import_courses, name="import"),
    path("manage/import/template.csv", views.import_template, name="import_template"),
    path("manage/import/<int:pk>/", views.import_job, name="import_job"),
    path("manage/import/<int:pk>/problems.csv", views.import_errors, name="import_errors"),
    path("manage/export.<str:fmt>", views.export, name="export"),
]
