"""The URL map: each app's URLs under its prefix, the key person system's by subject."""

from django.contrib import admin
from django.urls import include, path

from core import accessibility, pwa
from keyworker.views import home

# The key person system, one URL module per subject, all in the "keyworker" namespace.
keyworker_urls = [
    path("", include("keyworker.urls")),  # home pages, key persons and key groups, register and ratios
    path("", include("keyworker.feedback.urls")),  # feedback/rooms/… and the family's my-children/…
    path("", include("keyworker.meetings.urls")),  # meetings/… and the family's my-children/…
    path("planning/", include("keyworker.planning.urls")),
    path("trackers/", include("keyworker.tracker.urls")),
    path("", include("keyworker.personal_plans.urls")),  # children/<pk>/personal-plan/… and personal-plans/…
]

urlpatterns = [
    path("", home, name="home"),
    path("sw.js", pwa.service_worker, name="service_worker"),  # at the root: it looks after every page
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/", include("accounts.urls")),
    path("nursery/", include("nursery.urls")),
    path("children/", include("children.urls")),
    path("", include((keyworker_urls, "keyworker"))),
    path("stories/", include("learning_stories.urls")),
    path("admin/", admin.site.urls),
    path("framework/", include("learning_stories.framework.urls")),
    path("transitions/", include("transitions.urls")),
    path("privacy/", include("privacy.urls")),
    path("progress-checks/", include("learning_stories.progress_check.urls")),
    path("retention/", include("retention.urls")),
    path("messages/", include("messaging.urls")),
    path("accessibility/", accessibility.statement, name="accessibility"),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
