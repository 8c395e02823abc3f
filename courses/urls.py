from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.course_detail, name="detail"),
    path("mine/", views.my_courses, name="mine"),
    path("new/", views.course_form, name="create"),
    path("<int:pk>/edit/", views.course_form, name="edit"),
    path("<int:pk>/state/", views.course_state, name="state"),
    path("manage/", views.manage, name="manage"),
    path("manage/framework/<str:kind>/new/", views.framework_item, name="framework_create"),
    path("manage/framework/<str:kind>/<int:pk>/", views.framework_item, name="framework_edit"),
    path("manage/import/", views.import_courses, name="import"),
    path("manage/import/template.csv", views.import_template, name="import_template"),
    path("manage/import/<int:pk>/", views.import_job, name="import_job"),
    path("manage/export.<str:fmt>", views.export, name="export"),
]
