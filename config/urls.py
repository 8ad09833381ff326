from django.contrib import admin
from django.urls import include, path

from keyworker.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("nursery/", include("nursery.urls")),
    path("children/", include("children.urls")),
    path("", include("keyworker.urls")),
    path("stories/", include("learning_stories.urls")),
    path("admin/", admin.site.urls),
    path("framework/", include("learning_stories.framework.urls")),
    path("transitions/", include("transitions.urls")),
    path("progress-checks/", include("learning_stories.progress_check.urls")),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
