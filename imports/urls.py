"""URLs of the plain HTTP endpoints of imports (mounted under /imports/)."""

from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("upload/", views.upload, name="upload"),
    path("templates/<str:kind>.xlsx", views.template, name="template"),
    path("jobs/<str:job_id>/error-report.xlsx", views.error_report, name="error-report"),
]
