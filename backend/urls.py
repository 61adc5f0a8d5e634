from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from backend.accounts import pages as people_pages
from backend.accounts.views import accept_invitation
from backend.health import healthz
from backend.pages import home
from backend.views import ApiView

urlpatterns = [
    path("", home, name="home"),
    path("graphql/", ApiView.as_view(), name="graphql"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("imports/", include("imports.urls")),
    path("exports/", include("exports.urls")),
    path("audits/", include("audits.urls")),
    path("dashboard/", include("graph.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="backend/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/invitation/<str:token>/", accept_invitation, name="invitation"),
    path("accounts/people/", people_pages.people_page, name="people"),
    path("accounts/people/invite/", people_pages.invite_person, name="people_invite"),
    path("accounts/people/<int:member_id>/", people_pages.change_member, name="people_member"),
    path("accounts/people/tokens/<int:token_id>/revoke/", people_pages.revoke_token, name="people_token_revoke"),
    path("admin/", admin.site.urls),
]

handler500 = "backend.health.server_error"
