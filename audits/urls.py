"""URLs of audits (mounted under /audits/): the plain HTTP endpoints and the pages."""

from django.urls import path

from audits import views
from audits.views import board
from audits.views import intake

app_name = "audits"
urlpatterns = [
    path("evidence/<str:evidence_id>/", views.evidence_download, name="evidence-download"),
    path("board/grievances/", board.grievances_board, name="board-grievances"),
    path("board/grievances/<int:grievance_id>/step/", board.grievance_step, name="board-grievance-step"),
    path("board/remediation/", board.remediation_board, name="board-remediation"),
    path("intake/", intake.intake_home, name="intake"),
    path("intake/new/", intake.intake_site, name="intake-new"),
    path("intake/suggest/", intake.intake_suggest, name="intake-suggest"),
    path("intake/<str:reference>/", intake.intake_status, name="intake-status"),
    path("intake/<str:reference>/site/", intake.intake_site, name="intake-site"),
    path("intake/<str:reference>/what/", intake.intake_what, name="intake-what"),
    path("intake/<str:reference>/review/", intake.intake_review, name="intake-review"),
    path("intake/<str:reference>/sent/", intake.intake_sent, name="intake-sent"),
]
