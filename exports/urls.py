"""URLs of the plain HTTP downloads of exports (mounted under /exports/)."""

from django.urls import path

from exports import views

app_name = "exports"
urlpatterns = [
    path("network.xlsx", views.network, name="network"),
    path("oshub.csv", views.oshub, name="oshub"),
]
