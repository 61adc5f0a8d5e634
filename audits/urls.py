"""URLs of the plain HTTP endpoints of audits (mounted under /audits/)."""

from django.urls import path

from audits import views
from audits.views import board

app_name = "audits"
urlpatterns = [
    path("evidence/<str:evidence_id>/", views.evidence_download, name="evidence-download"),
    path("board/grievances/", board.grievances_board, name="board-grievances"),
    path("board/grievances/<int:grievance_id>/step/", board.grievance_step, name="board-grievance-step"),
    path("board/remediation/", board.remediation_board, name="board-remediation"),
]
