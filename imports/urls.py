"""URLs of imports (mounted under /imports/): the upload pages, and the plain HTTP endpoints for `curl` and scripts."""

from django.urls import path

from imports.views import endpoints, pages, review

app_name = "imports"
urlpatterns = [
    path("", pages.uploads, name="uploads"),
    path("new/<str:kind>/", pages.new_upload, name="new"),
    path("jobs/<str:job_id>/", pages.job_page, name="job"),
    path("jobs/<str:job_id>/progress/", pages.job_progress, name="job-progress"),
    path("jobs/<str:job_id>/commit/", pages.commit, name="job-commit"),
    path("jobs/<str:job_id>/review/", review.review_page, name="job-review"),
    path("jobs/<str:job_id>/decisions/", review.decide, name="job-decide"),
    path("upload/", endpoints.upload, name="upload"),
    path("templates/<str:kind>.xlsx", endpoints.template, name="template"),
    path("jobs/<str:job_id>/error-report.xlsx", endpoints.error_report, name="error-report"),
]
