from django.urls import path

from . import views

app_name = "transitions"

urlpatterns = [
    # Leaver pack
    path("packs/children/<int:pk>/", views.request_pack, name="request_pack"),
    path("packs/<int:pk>/", views.pack, name="pack"),
    path("packs/<int:pk>/download/", views.download_pack, name="download_pack"),
]
