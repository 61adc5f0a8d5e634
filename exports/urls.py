"""URLs of the plain HTTP downloads of exports (mounted under /exports/)."""

from django.urls import path

from exports import report_views, views

app_name = "exports"
urlpatterns = [
    path("network.xlsx", views.network, name="network"),
    path("oshub.csv", views.oshub, name="oshub"),
    path("reports/<str:job_id>/", report_views.report_download, name="report"),
]
