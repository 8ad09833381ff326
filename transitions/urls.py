from django.urls import path

from . import import_views, school_views, views

app_name = "transitions"

urlpatterns = [
    path("children/<int:pk>/school/", school_views.school_links, name="school_links"),
    path("school-links/<int:pk>/revoke/", school_views.revoke_school_link, name="revoke_school_link"),
    path("school/<str:token>/", school_views.school_page, name="school_page"),
    path("school/<str:token>/download/", school_views.school_download, name="school_download"),
    path("import/", import_views.import_pack, name="import_pack"),
    path("import/confirm/", import_views.confirm_import, name="confirm_import"),
    path("import/<int:pk>/", import_views.import_result, name="import_result"),
    path("", views.plans, name="plans"),
    path("leaver-access/", views.leaver_access, name="leaver_access"),
    path("children/<int:pk>/new/", views.new_plan, name="new_plan"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/edit/", views.edit_plan, name="edit_plan"),
    path("<int:pk>/status/", views.set_status, name="set_status"),
    path("<int:pk>/visits/new/", views.add_visit, name="add_visit"),
    path("visits/<int:pk>/", views.record_visit, name="record_visit"),
    path("<int:pk>/handover/", views.write_handover, name="write_handover"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/move-now/", views.move_now, name="move_now"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/review/", views.review_report, name="review_report"),
    path("<int:pk>/report/family-view/", views.family_view, name="family_view"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    # Leaver pack
    path("packs/children/<int:pk>/", views.request_pack, name="request_pack"),
    path("packs/<int:pk>/", views.pack, name="pack"),
    path("packs/<int:pk>/download/", views.download_pack, name="download_pack"),
]
