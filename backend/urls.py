from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from backend.accounts.views import accept_invitation
from backend.health import healthz
from backend.views import ApiView

urlpatterns = [
    path("graphql/", ApiView.as_view(), name="graphql"),
    path("healthz", healthz, name="healthz"),
    path("imports/", include("imports.urls")),
    path("exports/", include("exports.urls")),
    path("audits/", include("audits.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="admin/login.html", extra_context={"site_header": "Tributary"}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/invitation/<str:token>/", accept_invitation, name="invitation"),
    path("admin/", admin.site.urls),
]

handler500 = "backend.health.server_error"
