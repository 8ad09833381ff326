from django.urls import path

from . import import_views, school_views

app_name = "transitions"

urlpatterns = [
    path("children/<int:pk>/school/", school_views.school_links, name="school_links"),
    path("school-links/<int:pk>/revoke/", school_views.revoke_school_link, name="revoke_school_link"),
    path("school/<str:token>/", school_views.school_page, name="school_page"),
    path("school/<str:token>/download/", school_views.school_download, name="school_download"),
    path("import/", import_views.import_pack, name="import_pack"),
    path("import/confirm/", import_views.confirm_import, name="confirm_import"),
    path("import/<int:pk>/", import_views.import_result, name="import_result"),
]
