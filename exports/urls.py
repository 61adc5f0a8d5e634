"""URLs of exports (mounted under /exports/): the plain HTTP downloads, and the reports page."""

from django.urls import path

from exports import report_views, views
from exports.views import reports

app_name = "exports"
urlpatterns = [
    path("network.xlsx", views.network, name="network"),
    path("oshub.csv", views.oshub, name="oshub"),
    path("reports/", reports.reports_page, name="report_list"),
    path("reports/start/", reports.start_report, name="report_start"),
    path("reports/export/", reports.start_export, name="export_start"),
    path("reports/<str:job_id>/", report_views.report_download, name="report"),
]
