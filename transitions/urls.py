"""The transitions app's addresses, one subject package after another (names and paths are relied on)."""

from django.urls import path

from .carer_links import views as carer_views
from .imports import views as import_views
from .leaver_pack import views as pack_views
from .plans import views as plan_views
from .report import views as report_views
from .school_links import views as school_views
from .starters import views as starter_views

app_name = "transitions"

urlpatterns = [
    path("children/<int:pk>/school/", school_views.school_links, name="school_links"),
    path("school-links/<int:pk>/revoke/", school_views.revoke_school_link, name="revoke_school_link"),
    path("school/<str:token>/", school_views.school_page, name="school_page"),
    path("school/<str:token>/download/", school_views.school_download, name="school_download"),
    path("import/", import_views.import_pack, name="import_pack"),
    path("import/confirm/", import_views.confirm_import, name="confirm_import"),
    path("import/<int:pk>/", import_views.import_result, name="import_result"),
    path("", plan_views.plans, name="plans"),
    path("leaver-access/", plan_views.leaver_access, name="leaver_access"),
    path("children/<int:pk>/new/", plan_views.new_plan, name="new_plan"),
    path("<int:pk>/", plan_views.plan, name="plan"),
    path("<int:pk>/edit/", plan_views.edit_plan, name="edit_plan"),
    path("<int:pk>/status/", plan_views.set_status, name="set_status"),
    path("<int:pk>/visits/new/", plan_views.add_visit, name="add_visit"),
    path("visits/<int:pk>/", plan_views.record_visit, name="record_visit"),
    path("<int:pk>/handover/", plan_views.write_handover, name="write_handover"),
    path("<int:pk>/meeting/", plan_views.meeting, name="meeting"),
    path("<int:pk>/move-now/", plan_views.move_now, name="move_now"),
    path("<int:pk>/report/", report_views.report, name="report"),
    path("<int:pk>/report/review/", report_views.review_report, name="review_report"),
    path("<int:pk>/report/family-view/", report_views.family_view, name="family_view"),
    path("<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    # Settling in for new starters
    path("children/<int:pk>/settling/", starter_views.settling, name="settling"),
    path("children/<int:pk>/settling/start/", starter_views.start_settling, name="start_settling"),
    path("children/<int:pk>/settling/edit/", starter_views.settling_details, name="settling_details"),
    path("children/<int:pk>/settling/sessions/new/", starter_views.add_session, name="add_settling_session"),
    path("settling-sessions/<int:pk>/", starter_views.record_session, name="record_settling_session"),
    # Leaver pack
    path("packs/children/<int:pk>/", pack_views.request_pack, name="request_pack"),
    path("packs/<int:pk>/", pack_views.pack, name="pack"),
    path("packs/<int:pk>/download/", pack_views.download_pack, name="download_pack"),
    # Other carers (a childminder, a therapist): a summary shared with the family's consent
    path("children/<int:pk>/carers/", carer_views.carers, name="carers"),
    path("carers/<int:pk>/decide/", carer_views.decide, name="carer_decide"),
    path("carers/<int:pk>/paper-consent/", carer_views.paper_consent, name="carer_paper_consent"),
    path("carers/<int:pk>/links/new/", carer_views.create_link, name="carer_link_create"),
    path("carer-links/<int:pk>/revoke/", carer_views.revoke_link, name="carer_link_revoke"),
    path("carer/<str:token>/", carer_views.carer_page, name="carer_page"),
]
