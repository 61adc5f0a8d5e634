"""URLs of the compliance team's pages (mounted under /dashboard/)."""

from django.urls import path

from graph.views import dashboard, register, site

app_name = "graph"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("alerts/<int:alert_id>/acknowledge/", dashboard.acknowledge_alert, name="alert-acknowledge"),
    path("register/", register.register, name="register"),
    path("company/", site.company_page, name="company"),
    path("sites/<int:site_id>/", site.site_page, name="site"),
    path("suppliers/<int:supplier_id>/", site.supplier_page, name="supplier"),
]
