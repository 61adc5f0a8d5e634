"""URLs of the plain HTTP endpoints of imports (mounted under /imports/)."""

from django.urls import path

from imports.views import endpoints

app_name = "imports"
urlpatterns = [
    path("upload/", endpoints.upload, name="upload"),
    path("templates/<str:kind>.xlsx", endpoints.template, name="template"),
    path("jobs/<str:job_id>/error-report.xlsx", endpoints.error_report, name="error-report"),
]
