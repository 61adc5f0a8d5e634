"""URLs of the plain HTTP endpoints of audits (mounted under /audits/)."""

from django.urls import path

from audits import views

app_name = "audits"
urlpatterns = [
    path("evidence/<str:evidence_id>/", views.evidence_download, name="evidence-download"),
]
