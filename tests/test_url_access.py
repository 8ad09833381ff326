"""Every URL against every role (pretix style).

URLs are collected from the URL configuration itself, so a new page is tested from the moment it
is added: it fails here until its expected answers are written into ACCESS below.
"""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from accounts.services import invitation_token
from accounts.tests.factories import InvitationFactory
from children.models import GuardianInvitation
from children.tests.factories import CareEntryFactory, EmergencyContactFactory, HomeChangeFactory, IncidentFactory
from learning_stories.tests.factories import AssessmentPointFactory, StatementFactory
from nursery.tests.factories import NurserySessionFactory, StaffAbsenceFactory
from transitions.models import LeaverPack

# group_owner: owns the group of the manager's nursery and holds no post there; leaver: a practitioner of
# that nursery whose leaving date has passed.
ROLES = ["anonymous", "manager", "practitioner", "parent", "other_parent", "other_manager", "group_owner", "leaver"]
LOGIN = "login"  # anonymous visitors are sent to the log-in page

# Expected status for each role, in ROLES order. POST marks views that only accept POST.
ACCESS: dict[str, tuple] = {
    "home": (LOGIN, 302, 302, 302, 302, 302, 302, LOGIN),  # a group owner without a post: the group overview
    # the installable app: the service worker, its manifest and the offline page are the same for everyone
    "service_worker": (200, 200, 200, 200, 200, 200, 200, 200),
    "manifest": (200, 200, 200, 200, 200, 200, 200, 200),
    "offline": (200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:login": (200, 302, 302, 302, 302, 302, 302, 200),
    "accounts:logout": ("POST", 302, 302, 302, 302, 302, 302, LOGIN, 302),
    "accounts:language": ("POST", 302, 302, 302, 302, 302, 302, 302, LOGIN),  # anyone chooses; a leaver is signed out
    "accounts:password_change": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "accounts:password_change_done": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "accounts:password_reset": (200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_done": (200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_confirm": (200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_complete": (200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:accept_invitation": (200, 200, 200, 200, 200, 200, 200, 200),
    # twofa: nobody here has an authenticator app yet (the code step and recovery codes send them on)
    "accounts:two_factor": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "accounts:two_factor_verify": (LOGIN, 302, 302, 302, 302, 302, 302, LOGIN),
    "accounts:two_factor_setup": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "accounts:two_factor_recovery_codes": (LOGIN, 302, 302, 302, 302, 302, 302, LOGIN),
    "accounts:two_factor_off": ("POST", LOGIN, 400, 400, 400, 400, 400, 400, LOGIN),  # no password typed
    # tablet: locking switches out a PIN session (nobody here has one) and goes home
    "accounts:tablet_lock": ("POST", 302, 302, 302, 302, 302, 302, 302, 302),
    "nursery:staff": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:invite_staff": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:edit_staff": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "nursery:reset_staff_two_factor": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "nursery:resend_staff_invitation": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "nursery:cancel_staff_invitation": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "nursery:rooms": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    # setup: the set-up checklist, nursery details and rooms
    "nursery:setup": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:setup_confirm": ("POST", LOGIN, 302, 403, 403, 403, 302, 403, LOGIN),
    "nursery:details": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:add_room": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:edit_room": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "nursery:archive_room": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),  # refused: children in it
    "nursery:restore_room": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "nursery:undelivered_mail": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:retry_mail": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "children:list": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "children:detail": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:invite_guardian": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "children:audit_log": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "children:resend_guardian_invitation": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "children:cancel_guardian_invitation": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "keyworker:overview": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "keyworker:my_key_children": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "keyworker:my_children": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "keyworker:whats_new": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "keyworker:mark_read": ("POST", LOGIN, 302, 302, 403, 403, 302, 403, LOGIN),
    "stories:new": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "stories:autosave": ("POST", LOGIN, 400, 400, 403, 403, 400, 403, LOGIN),
    "stories:send_queued": ("POST", LOGIN, 400, 400, 403, 403, 400, 403, LOGIN),  # no key sent
    "stories:capture_other_children": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "stories:drafts": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "stories:suggest_areas": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "stories:observation": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:edit": (LOGIN, 404, 200, 403, 403, 404, 403, LOGIN),
    "stories:autosave_draft": ("POST", LOGIN, 404, 400, 403, 403, 404, 403, LOGIN),
    "stories:upload_photo": ("POST", LOGIN, 404, 400, 403, 403, 404, 403, LOGIN),
    "stories:comment": (
        "POST",
        LOGIN,
        404,
        404,
        404,
        404,
        404,
        404,
        LOGIN,
    ),  # no child chosen: see learning_stories tests
    "stories:publish": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "stories:return": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "stories:tag": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "stories:photo": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:photo_thumbnail": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:remove_photo": ("POST", LOGIN, 404, 302, 403, 403, 404, 403, LOGIN),
    "stories:photo_preview": (LOGIN, 404, 200, 403, 403, 404, 403, LOGIN),  # the author's own draft photo
    "stories:photo_faces": (LOGIN, 404, 200, 403, 403, 404, 403, LOGIN),  # the faces panel: the author's draft
    "stories:add_face": ("POST", LOGIN, 404, 302, 403, 403, 404, 403, LOGIN),
    "stories:check_faces": ("POST", LOGIN, 404, 302, 403, 403, 404, 403, LOGIN),
    "stories:name_face": ("POST", LOGIN, 404, 302, 403, 403, 404, 403, LOGIN),
    "stories:remove_face": ("POST", LOGIN, 404, 302, 403, 403, 404, 403, LOGIN),
    "stories:review_queue": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "stories:review_settings": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    # clips: a published video (played in ranges, its poster, its card), a draft's clip, the nursery's limits
    "stories:clip": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:clip_poster": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:clip_preview": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:remove_clip": ("POST", LOGIN, 404, 302, 403, 403, 404, 403, LOGIN),  # the author's own draft clip
    "stories:clip_settings": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "stories:wellbeing_settings": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "stories:story": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:add_home": (LOGIN, 404, 404, 200, 404, 404, 404, LOGIN),
    "stories:notifications": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "stories:email_off": (200, 200, 200, 200, 200, 200, 200, 200),  # the signed link in a family's e-mail
    "children:photo": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:photo_thumbnail": (LOGIN, 302, 302, 302, 404, 404, 404, LOGIN),  # the placeholder until the task has run
    "children:change_photo": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "children:remove_photo": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "nursery:my_photo": (LOGIN, 302, 302, 403, 403, 302, 403, LOGIN),
    # tablet: the manager's list of room tablets; the tablet's own pages answer 404 to a browser that is not one
    "nursery:tablets": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:tablet_idle_minutes": ("POST", LOGIN, 400, 403, 403, 403, 400, 403, LOGIN),  # nothing typed
    "nursery:revoke_tablet": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "nursery:tablet": (404, 404, 404, 404, 404, 404, 404, 404),
    "nursery:tablet_switch_in": (404, 404, 404, 404, 404, 404, 404, 404),
    "nursery:my_pin": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "nursery:change_staff_photo": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "nursery:remove_staff_photo": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "nursery:staff_photo": (LOGIN, 200, 200, 200, 200, 404, 404, LOGIN),
    "nursery:staff_photo_thumbnail": (LOGIN, 302, 302, 302, 302, 404, 404, LOGIN),
    "framework:statements": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "framework:choose": ("POST", LOGIN, 302, 403, 403, 403, 302, 403, LOGIN),
    "framework:add_statement": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "framework:edit_statement": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "framework:retire_statement": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "framework:restore_statement": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "children:today": (LOGIN, 302, 302, 403, 403, 302, 403, LOGIN),
    "children:room_register": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "children:room_care": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "children:room_care_undo": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "children:sign_in": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "children:sign_out": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "children:report_incident": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "children:correct_care_entry": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "children:remove_care_entry": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "children:acknowledge_incident": ("POST", LOGIN, 404, 404, 302, 404, 404, 404, LOGIN),
    # medicines: only a parent with parental responsibility asks; health data for the nursery's staff and parents
    "children:medicine_ask": (LOGIN, 404, 404, 200, 404, 404, 404, LOGIN),
    "children:medicine_request": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:medicine_withdraw": ("POST", LOGIN, 302, 302, 302, 404, 404, 404, LOGIN),
    "children:medicine_plan": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:medicine_dose": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "children:medicine_dose_read": ("POST", LOGIN, 404, 404, 302, 404, 404, 404, LOGIN),
    "children:room_medicines": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:room_feedback": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:family_today": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "keyworker:feedback_history": (LOGIN, 404, 404, 200, 404, 404, 404, LOGIN),
    "keyworker:feedback_email": ("POST", LOGIN, 404, 404, 302, 404, 404, 404, LOGIN),
    "keyworker:feedback_email_off": (200, 200, 200, 200, 200, 200, 200, 200),  # the signed link in an e-mail
    "children:add": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "children:edit": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "children:guardian_edit": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "children:my_details": (LOGIN, 403, 403, 200, 200, 403, 403, LOGIN),
    "children:news_email_preference": ("POST", LOGIN, 404, 404, 302, 404, 404, 404, LOGIN),
    "children:news_email_off": (200, 200, 200, 200, 200, 200, 200, 200),  # the signed link in a family's e-mail
    "children:emergency_contact_add": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "children:emergency_contact_edit": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "children:emergency_contact_delete": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "children:all_about_me": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:all_about_me_edit": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "children:propose_home_change": (LOGIN, 403, 403, 200, 404, 404, 404, LOGIN),
    "children:accept_home_change": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "children:read_home_change": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "children:consents": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:consent_purposes": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "children:family_notes": (LOGIN, 403, 403, 200, 404, 404, 404, LOGIN),
    "keyworker:confidential_notes": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    # personal plans: staff of the nursery read, the key person and managers write, parents read and respond
    "keyworker:personal_plan": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "keyworker:personal_plan_edit": (LOGIN, 200, 200, 404, 404, 404, 404, LOGIN),
    "keyworker:personal_plan_version": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "nursery:sessions": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:edit_session": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "nursery:working_pattern": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "nursery:absences": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "nursery:delete_absence": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "children:bookings": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "children:import_children": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "children:import_children_template": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "keyworker:assign": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "keyworker:child_buddy": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "keyworker:key_groups": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "keyworker:key_group": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "keyworker:reassign_group": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    "keyworker:register": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "keyworker:ratios": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    # group: the group's owners only; another group's pages do not exist for anyone else
    "nursery:group": (LOGIN, 404, 404, 404, 404, 404, 200, LOGIN),
    "nursery:group_add_nursery": (LOGIN, 404, 404, 404, 404, 404, 200, LOGIN),
    "nursery:group_owners": (LOGIN, 404, 404, 404, 404, 404, 200, LOGIN),
    "nursery:resend_owner_invitation": ("POST", LOGIN, 404, 404, 404, 404, 404, 302, LOGIN),
    "nursery:cancel_owner_invitation": ("POST", LOGIN, 404, 404, 404, 404, 404, 302, LOGIN),
    "nursery:switch": ("POST", LOGIN, 404, 404, 404, 404, 404, 404, LOGIN),  # no nursery of theirs chosen
    "keyworker:group_overview": (LOGIN, 404, 404, 404, 404, 404, 200, LOGIN),
    "keyworker:group_nursery": (LOGIN, 404, 404, 404, 404, 404, 200, LOGIN),
    # plan
    "stories:next_steps": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:drop_next_step": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "keyworker:planning": (LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "keyworker:plan_board": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:plan_add": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:plan_activity": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:plan_evaluate": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:meetings": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "keyworker:meeting": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "keyworker:meeting_cancel": ("POST", LOGIN, 302, 302, 302, 404, 404, 404, LOGIN),
    "keyworker:meeting_move": (
        "POST",
        LOGIN,
        404,
        404,
        404,
        404,
        404,
        404,
        LOGIN,
    ),  # no time chosen: see keyworker tests
    "keyworker:meeting_slot_book": ("POST", LOGIN, 404, 404, 404, 404, 404, 404, LOGIN),  # no child chosen: ditto
    "keyworker:meeting_slot_withdraw": ("POST", LOGIN, 404, 302, 403, 403, 404, 403, LOGIN),
    "keyworker:family_meetings": (LOGIN, 200, 200, 200, 200, 200, 200, LOGIN),
    "keyworker:meeting_ask": (LOGIN, 404, 404, 200, 404, 404, 404, LOGIN),
    # the key person asks a family to meet (the practitioner is the child's key person)
    "keyworker:meeting_request_new": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:meeting_request": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:family_meeting_request": (LOGIN, 404, 404, 200, 404, 404, 404, LOGIN),
    # import
    "transitions:school_links": (LOGIN, 200, 403, 200, 404, 404, 404, LOGIN),
    "transitions:revoke_school_link": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "transitions:school_page": (200, 200, 200, 200, 200, 200, 200, 200),  # the receiving school has no account
    "transitions:school_download": ("POST", 200, 200, 200, 200, 200, 200, 200, 200),
    # carers: the key person (practitioner) and managers share; a parent with parental responsibility decides
    "transitions:carers": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "transitions:carer_decide": ("POST", LOGIN, 403, 403, 302, 404, 404, 404, LOGIN),
    "transitions:carer_paper_consent": ("POST", LOGIN, 302, 302, 403, 404, 404, 404, LOGIN),
    "transitions:carer_link_create": ("POST", LOGIN, 302, 302, 403, 404, 404, 404, LOGIN),
    "transitions:carer_link_revoke": ("POST", LOGIN, 302, 302, 403, 404, 404, 404, LOGIN),
    "transitions:carer_page": (200, 200, 200, 200, 200, 200, 200, 200),  # the carer has no account
    "transitions:import_pack": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "transitions:confirm_import": ("POST", LOGIN, 302, 403, 403, 403, 302, 403, LOGIN),
    "transitions:import_result": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),
    # dash
    # collection: the family's page (staff see the list on the child's page); removing a person, cancelling a
    # one-off collector
    "children:collection": (LOGIN, 403, 403, 200, 404, 404, 404, LOGIN),
    "children:collection_remove_collector": ("POST", LOGIN, 404, 404, 302, 404, 404, 404, LOGIN),
    "children:collection_cancel_one_off": ("POST", LOGIN, 404, 404, 302, 404, 404, 404, LOGIN),
    "children:support_plan_create": (LOGIN, 200, 200, 404, 404, 404, 404, LOGIN),
    "children:support_plan": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:support_plan_edit": (LOGIN, 200, 200, 404, 404, 404, 404, LOGIN),
    "children:support_target_add": (LOGIN, 200, 200, 404, 404, 404, 404, LOGIN),
    "children:support_target_edit": (LOGIN, 200, 200, 404, 404, 404, 404, LOGIN),
    "children:support_review": (LOGIN, 200, 200, 404, 404, 404, 404, LOGIN),
    "keyworker:senco": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    # absence: the family reports their child off (staff record a call); nobody else sees it
    "children:report_absence": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:edit_absence": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "children:cancel_absence": ("POST", LOGIN, 302, 302, 302, 404, 404, 404, LOGIN),
    # check
    "checks:due": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "checks:start": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "checks:detail": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),  # a check shared with the family
    "checks:edit": (LOGIN, 200, 200, 404, 404, 404, 404, LOGIN),  # a draft: not the family's yet
    "checks:comment": (
        "POST",
        LOGIN,
        403,
        403,
        200,
        404,
        404,
        404,
        LOGIN,
    ),  # empty: the parent's form says what is missing
    "checks:complete": ("POST", LOGIN, 302, 302, 403, 404, 404, 404, LOGIN),
    "checks:health_visitor": (
        "POST",
        LOGIN,
        200,
        200,
        403,
        404,
        404,
        404,
        LOGIN,
    ),  # empty: the form says what is missing
    "checks:pdf": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    # assess
    "stories:assessment_points": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "stories:assessments": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "stories:assess_child": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "keyworker:tracker": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "keyworker:tracker_csv": (
        LOGIN,
        200,
        403,
        403,
        403,
        302,
        403,
        LOGIN,
    ),  # the other nursery has no assessment point yet
    # move
    "transitions:plans": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "transitions:leaver_access": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "transitions:new_plan": (LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),  # the child's open plan: sent to it
    "transitions:plan": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "transitions:edit_plan": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "transitions:set_status": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "transitions:add_visit": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "transitions:record_visit": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "transitions:write_handover": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "transitions:meeting": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "transitions:move_now": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "transitions:report": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    # settling: a starter's settling-in plan (the family reads it; managers and the key person change it)
    "transitions:settling": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "transitions:start_settling": ("POST", LOGIN, 302, 302, 403, 403, 404, 403, LOGIN),
    "transitions:settling_details": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "transitions:add_settling_session": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "transitions:record_settling_session": (LOGIN, 200, 200, 403, 403, 404, 403, LOGIN),
    "transitions:review_report": (
        "POST",
        LOGIN,
        404,
        404,
        403,
        403,
        404,
        403,
        LOGIN,
    ),  # no action chosen: see transitions tests
    "transitions:family_view": (LOGIN, 404, 404, 200, 404, 404, 404, LOGIN),
    "transitions:report_pdf": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    # pack
    "transitions:request_pack": ("POST", LOGIN, 302, 302, 302, 404, 404, 404, LOGIN),
    "transitions:pack": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "transitions:download_pack": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    # retention: the schedule, the next run, legal holds, the removal log and erasure of a family account
    "retention:schedule": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "retention:next_run": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "retention:holds": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "retention:release_hold": ("POST", LOGIN, 302, 403, 403, 403, 404, 403, LOGIN),
    "retention:log": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "retention:erase_family_member": (LOGIN, 200, 403, 403, 403, 404, 403, LOGIN),  # GET: the confirmation page
    # sar: subject access and the record history
    "privacy:my_data": (LOGIN, 403, 403, 200, 200, 403, 403, LOGIN),
    "privacy:request_own": ("POST", LOGIN, 404, 404, 302, 404, 404, 404, LOGIN),
    "privacy:requests": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    "privacy:export": (LOGIN, 200, 404, 200, 404, 404, 404, LOGIN),
    "privacy:download": (LOGIN, 200, 404, 200, 404, 404, 404, LOGIN),
    "privacy:record_history": (LOGIN, 200, 403, 403, 403, 200, 403, LOGIN),
    # messaging: a child's conversation (key person, managers, family), a photo in it, an announcement to the nursery
    "messaging:inbox": (LOGIN, 200, 200, 200, 200, 200, 403, LOGIN),
    "messaging:conversation": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "messaging:photo": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "messaging:photo_thumbnail": (LOGIN, 200, 200, 200, 404, 404, 404, LOGIN),
    "messaging:announcements": (LOGIN, 200, 200, 403, 403, 200, 403, LOGIN),
    "messaging:announcement": (LOGIN, 200, 200, 200, 200, 404, 404, LOGIN),
    "messaging:acknowledge": ("POST", LOGIN, 404, 404, 302, 302, 404, 404, LOGIN),
    "messaging:email_preference": (LOGIN, 403, 403, 200, 200, 403, 403, LOGIN),
    "messaging:email_off": (200, 200, 200, 200, 200, 200, 200, 200),  # the signed link in a family's e-mail
    # a11y: the accessibility statement is for everyone, signed in or not
    "accessibility": (200, 200, 200, 200, 200, 200, 200, 200),
}

# The Django admin has its own log-in and permission checks; tested separately below.
SKIP_NAMESPACES = {"admin"}


def named_urls(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIP_NAMESPACES:
                continue
            names += named_urls(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(prefix + entry.name)
    return sorted(set(names))


URL_NAMES = named_urls()


def test_every_url_has_expected_answers_for_every_role():
    missing = [name for name in URL_NAMES if name not in ACCESS]
    assert not missing, f"Add these URLs to ACCESS in {__file__}: {missing}"
    assert not set(ACCESS) - set(URL_NAMES), "ACCESS names URLs that no longer exist"


def failed_mail(nursery):
    from core.models import OutgoingMail

    return OutgoingMail.objects.create(
        key="test:1", kind="Test", nursery_id=nursery.pk, to="sam@example.org", subject="S", body="B", attempts=1
    )


@pytest.fixture
def world(manager, practitioner, practitioner_post, parent, child, other_parent, other_manager, nursery, room):
    """One object of each kind that a URL can point at, all belonging to the first nursery."""
    from children.services import invite_guardian
    from nursery.services import invite_staff

    staff_grant = invite_staff(
        nursery=nursery, email="new@example.org", full_name="New Person", role="practitioner", invited_by=manager
    ).invitation.staff_grant
    invite_guardian(
        children=[child],
        email="gran@example.org",
        full_name="Gran",
        relationship="grandparent",
        has_parental_responsibility=False,
        invited_by=manager,
    )
    story = _story_world(nursery, child, practitioner, parent)
    give_photos(child, practitioner_post)
    return {
        "users": {
            "manager": manager,
            "practitioner": practitioner,
            "parent": parent,
            "other_parent": other_parent,
            "other_manager": other_manager,
            "group_owner": _group_owner(nursery),
            "leaver": _leaver(nursery, room),
        },
        "kwargs": {
            "children:": {"pk": child.pk},
            "nursery:change_staff_photo": {"pk": practitioner_post.pk},
            "nursery:retry_mail": {"pk": failed_mail(nursery).pk},
            "nursery:remove_staff_photo": {"pk": practitioner_post.pk},
            "nursery:staff_photo": {"pk": practitioner_post.pk},
            "framework:": {"pk": StatementFactory(nursery=nursery).pk},
            "nursery:": {"pk": staff_grant.pk},
            "children:resend_guardian": {"pk": GuardianInvitation.objects.get().pk},
            "children:cancel_guardian": {"pk": GuardianInvitation.objects.get().pk},
            "accounts:accept_invitation": {"token": invitation_token(InvitationFactory())},
            "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
            "children:room_": {"pk": child.room_id},
            "children:correct_care": {"pk": CareEntryFactory(child=child).pk},
            "children:remove_care": {"pk": CareEntryFactory(child=child).pk},
            "children:acknowledge": {"pk": IncidentFactory(child=child).pk},
            "keyworker:room_feedback": {"pk": child.room_id},
            "keyworker:feedback_": {"pk": child.pk},
            **story,
            "children:guardian_edit": {"pk": parent.guardianships.get().pk},
            "children:emergency_contact_": {"pk": EmergencyContactFactory(child=child).pk},
            "children:emergency_contact_add": {"pk": child.pk},
            "children:accept_home_change": {"pk": HomeChangeFactory(child=child, proposed_by=parent).pk},
            "children:read_home_change": {"pk": HomeChangeFactory(child=child, proposed_by=parent).pk},
            "keyworker:confidential_notes": {"pk": child.pk},
            "nursery:edit_session": {"pk": NurserySessionFactory(nursery=nursery).pk},
            "nursery:edit_room": {"pk": room.pk},
            "nursery:revoke_tablet": {"pk": _tablet(room, manager).pk},
            "nursery:tablet_switch_in": {"pk": practitioner_post.pk},
            "nursery:archive_room": {"pk": room.pk},
            "nursery:restore_room": {"pk": room.pk},
            "nursery:working_pattern": {"pk": practitioner_post.pk},
            "nursery:edit_staff": {"pk": practitioner_post.pk},
            "nursery:reset_staff_two_factor": {"pk": practitioner_post.pk},
            "nursery:delete_absence": {"pk": StaffAbsenceFactory(staff=practitioner_post).pk},
            "keyworker:": {"pk": child.pk},
            "keyworker:key_group": {"pk": practitioner_post.pk},
            "keyworker:reassign_group": {"pk": practitioner_post.pk},
            **_plan_world(child, practitioner_post, parent),
            **_meeting_request_world(child, practitioner),
            # import: a school link to a ready pack (with the family's consent) and an imported child
            **_import_world(nursery, child, manager),
            # medicines: today's permission with a plan attached, and a dose given
            **_medicine_world(child),
            "keyworker:personal_plan_version": {"pk": _personal_plan(child).pk},
            # dash: a support plan with a target
            **_support_plan_world(child),
            # collection: a person the family named, a one-off collector for today
            **_collection_world(child, parent),
            # absence: the parent reported the child off today
            **_absence_world(child, parent),
            # check: a draft to edit, a check shared with the family for everything else
            **_check_world(child, practitioner),
            # assess: a child's assessments, and the grid at one of the nursery's points
            "stories:assessments": {"pk": child.pk},
            "stories:assess_child": {"pk": child.pk, "point": AssessmentPointFactory(nursery=nursery).pk},
            # move: a school leaver's plan with a visit and a report shared with the family
            **_transitions_world(child, manager),
            # settling: the child's settling-in plan with one session
            **_settling_world(child),
            # carers: a therapist the family agreed to, with a working link
            **_carer_world(child, practitioner, parent),
            # pack: the ready leaver pack the import world made for the school link
            "transitions:request_pack": {"pk": child.pk},
            "transitions:pack": {"pk": LeaverPack.objects.get(child=child).pk},
            "transitions:download_pack": {"pk": LeaverPack.objects.get(child=child).pk},
            # sar: the parent's ready subject access download about their child
            **_privacy_world(child, parent),
            # mail: the parent's one-click "stop these e-mails" links
            **_email_off_world(child, parent),
            # group: the group _group_owner made for the first nursery, and that nursery
            "nursery:group": {"pk": nursery.group_id},
            "keyworker:group_overview": {"pk": nursery.group_id},
            "keyworker:group_nursery": {"pk": nursery.pk},
            **_owner_invitation_world(nursery, manager),
            # retention: a hold on the child; the parent's account to erase
            **_retention_world(child, manager, parent),
            # messaging: a message with a photo about the child, an announcement to every family
            **_messaging_world(child, parent, manager),
        },
    }


# tablet
def _tablet(room, manager):
    from nursery.tablets import create_tablet

    return create_tablet(room=room, name="Door", by=manager)[0]


# messaging
def _messaging_world(child, parent, manager) -> dict:
    from core.images import process_upload
    from core.mail_unsubscribe import unsubscribe_token
    from messaging import services
    from messaging.notices import MESSAGE_EMAILS
    from tests.images import camera_jpeg, upload

    message = services.send_message(
        child=child, by=parent, as_family=True, text="Hello", photo=process_upload(upload(camera_jpeg()))
    )
    announcement = services.send_announcement(
        nursery=child.nursery, room=None, title="Closed Monday", text="Staff training.", by=manager
    )
    return {
        "messaging:conversation": {"pk": child.pk},
        "messaging:photo": {"pk": message.pk},
        "messaging:announcement": {"pk": announcement.pk},
        "messaging:acknowledge": {"pk": announcement.pk},
        "messaging:email_off": {"token": unsubscribe_token(MESSAGE_EMAILS, parent)},
    }


# carers
def _carer_world(child, practitioner, parent) -> dict:
    from transitions.carer_links import services

    carer = services.add_carer(
        child=child, name="Tess", role="speech_therapist", organisation="", email="", by=practitioner
    )
    services.decide(carer=carer, agreed=True, by=parent)
    link = services.create_carer_link(carer=carer, by=practitioner)
    return {
        "transitions:carers": {"pk": child.pk},
        "transitions:carer_decide": {"pk": carer.pk},
        "transitions:carer_paper_consent": {"pk": carer.pk},
        "transitions:carer_link_create": {"pk": carer.pk},
        "transitions:carer_link_revoke": {"pk": link.pk},
        "transitions:carer_page": {"token": link.token},
    }


# retention
def _retention_world(child, manager, parent) -> dict:
    from retention.services import place_hold

    hold = place_hold(nursery=child.nursery, child=child, reason="Insurance claim", by=manager)
    return {"retention:release_hold": {"pk": hold.pk}, "retention:erase_family_member": {"pk": parent.pk}}


# sar
def _privacy_world(child, parent) -> dict:
    from privacy.tests.factories import ready_export

    export = ready_export(child=child, person=parent, requested_by=parent)
    return {"privacy:": {"pk": export.pk}, "privacy:request_own": {"pk": child.pk}}


# mail
def _email_off_world(child, parent) -> dict:
    from children.notices import NEWS_EMAILS
    from core.mail_unsubscribe import unsubscribe_token
    from keyworker.feedback.services import FEEDBACK_EMAILS
    from learning_stories.notices import STORY_EMAILS

    return {
        "stories:email_off": {"token": unsubscribe_token(STORY_EMAILS, parent)},
        "keyworker:feedback_email_off": {"token": unsubscribe_token(FEEDBACK_EMAILS, parent, child.pk)},
        "children:news_email_off": {"token": unsubscribe_token(NEWS_EMAILS, parent, child.pk)},
    }


# plan
def _plan_world(child, practitioner_post, parent) -> dict:
    """A next step, an activity on this week's board, a free slot and a booked meeting about ``child``."""
    from datetime import timedelta

    from django.utils import timezone

    from keyworker.meetings.services import book_slot, offer_slot
    from keyworker.planning.selectors import monday_of
    from keyworker.planning.services import ActivityPlan, plan_activity
    from learning_stories.tests.factories import NextStepFactory

    step = NextStepFactory(child=child)
    activity = plan_activity(
        room=child.room,
        week_of=monday_of(timezone.localdate()),
        plan=ActivityPlan(title="Water tray", next_steps=[step]),
        by=practitioner_post.user,
    )
    soon = timezone.now() + timedelta(days=3)
    free = offer_slot(key_person=practitioner_post, starts_at=soon, minutes=20, place="in_person")
    taken = offer_slot(key_person=practitioner_post, starts_at=soon + timedelta(hours=1), minutes=20, place="phone")
    booked = book_slot(child=child, slot=taken, by=parent)
    return {
        "stories:next_steps": {"pk": child.pk},
        "stories:drop_next_step": {"pk": step.pk},
        "keyworker:plan_board": {"pk": child.room_id},
        "keyworker:plan_add": {"pk": child.room_id},
        "keyworker:plan_activity": {"pk": activity.pk},
        "keyworker:plan_evaluate": {"pk": activity.pk},
        "keyworker:meeting": {"pk": booked.pk},
        "keyworker:meeting_slot_": {"pk": free.pk},
        "keyworker:meeting_ask": {"pk": child.pk},
    }


def _medicine_world(child) -> dict:
    from django.core.files.base import ContentFile

    from children.tests.medicine_factories import MedicineDoseFactory, MedicineRequestFactory

    medicine = MedicineRequestFactory(child=child)
    medicine.plan.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {
        "children:medicine_": {"pk": medicine.pk},
        "children:medicine_ask": {"pk": child.pk},
        "children:medicine_dose_read": {"pk": MedicineDoseFactory(request=medicine).pk},
    }


def _absence_world(child, parent) -> dict:
    from django.utils import timezone

    from children.absences.services import Report, report_absence

    today = timezone.localdate()
    absence = report_absence(
        child=child, report=Report(today, today, "holiday"), by=parent, reported_by=parent, reporter_name="Sam"
    )
    return {"children:edit_absence": {"pk": absence.pk}, "children:cancel_absence": {"pk": absence.pk}}


def _personal_plan(child):
    from keyworker.personal_plans.models import PersonalPlan

    return PersonalPlan.objects.create(
        child=child,
        wellbeing="Cuddles",
        care="Naps at 1",
        focuses="Sharing",
        together="Chat at pick-up",
        next_review_on=child.start_date,
    )


def _meeting_request_world(child, practitioner) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from keyworker.meetings.ask_services import ask_to_meet

    asked = ask_to_meet(child=child, by=practitioner, reason="Settling in", times=[timezone.now() + timedelta(days=2)])
    return {
        "keyworker:meeting_request": {"pk": asked.pk},
        "keyworker:meeting_request_new": {"pk": child.pk},
        "keyworker:family_meeting_request": {"pk": asked.pk},
    }


def _support_plan_world(child) -> dict:
    from children.support_plans.models import SupportTarget
    from children.tests.factories import SupportPlanFactory

    plan = SupportPlanFactory(child=child)
    target = SupportTarget.objects.create(plan=plan, what="Ask for help with two words", strategies="Model it")
    return {
        "children:support_": {"pk": plan.pk},
        "children:support_plan_create": {"pk": child.pk},
        "children:support_target_edit": {"pk": plan.pk, "target_pk": target.pk},
    }


def _collection_world(child, parent) -> dict:
    from django.utils import timezone

    from children.collection.models import AuthorisedCollector, OneOffCollector

    named = AuthorisedCollector.objects.create(child=child, name="Aunt Bea", relationship="Aunt", phone="07700 900111")
    one_off = OneOffCollector.objects.create(child=child, day=timezone.localdate(), name="Nan", relationship="Nan")
    return {
        "children:collection_remove": {"pk": named.pk},
        "children:collection_cancel": {"pk": one_off.pk},
    }


def _check_world(child, practitioner) -> dict:
    from learning_stories.models import ProgressCheck
    from learning_stories.tests.factories import ProgressCheckFactory

    draft = ProgressCheckFactory(child=child, written_by=practitioner)
    shared = ProgressCheckFactory(child=child, written_by=practitioner, status=ProgressCheck.Status.SHARED)
    return {"checks:": {"pk": shared.pk}, "checks:edit": {"pk": draft.pk}, "checks:start": {"pk": child.pk}}


def _transitions_world(child, manager) -> dict:
    from transitions.models import TransitionReport
    from transitions.tests.factories import TransitionPlanFactory, TrialVisitFactory

    plan = TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")
    TransitionReport.objects.create(plan=plan, status=TransitionReport.Status.SHARED, written_by=manager)
    return {
        "transitions:": {"pk": plan.pk},
        "transitions:new_plan": {"pk": child.pk},
        "transitions:record_visit": {"pk": TrialVisitFactory(plan=plan).pk},
    }


def _settling_world(child) -> dict:
    from transitions.tests.factories import SettlingSessionFactory

    session = SettlingSessionFactory(plan__child=child)
    return {
        "transitions:settling": {"pk": child.pk},
        "transitions:start_settling": {"pk": child.pk},
        "transitions:add_settling_session": {"pk": child.pk},
        "transitions:record_settling_session": {"pk": session.pk},
    }


def _story_world(nursery, child, practitioner, parent) -> dict:
    """A published observation with a photo, a draft, one waiting for review and a home contribution."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from learning_stories.models import Observation, ObservationClip, PhotoFace
    from learning_stories.observations import services
    from learning_stories.tests.factories import ObservationFactory, ObservationPhotoFactory
    from tests.images import camera_jpeg

    shared = ObservationFactory(nursery=nursery, author=practitioner, children=[child])
    photo = ObservationPhotoFactory(observation=shared, children=[child])
    draft = ObservationFactory(nursery=nursery, author=practitioner, children=[child], status=Observation.Status.DRAFT)
    draft_photo = ObservationPhotoFactory(observation=draft, children=[child])
    face = PhotoFace.objects.create(photo=draft_photo, x=0.1, y=0.1, w=0.2, h=0.2)
    waiting = ObservationFactory(
        nursery=nursery, author=practitioner, children=[child], status=Observation.Status.AWAITING_REVIEW
    )
    home = services.add_home_contribution(
        child=child, author=parent, text="At the park", observed_at=timezone.now(), photos=[]
    )
    clip = ObservationClip.objects.create(observation=shared, kind="video", duration=3)
    clip.media.save("clip.mp4", ContentFile(b"not really a film"), save=False)
    clip.poster.save("poster.jpg", ContentFile(camera_jpeg()), save=True)
    draft_clip = ObservationClip.objects.create(observation=draft, kind="audio", duration=3)
    draft_clip.media.save("clip.m4a", ContentFile(b"not really a song"), save=True)
    return {
        "stories:clip": {"pk": clip.pk},
        "stories:remove_clip": {"pk": draft_clip.pk},
        "stories:": {"pk": shared.pk},
        "stories:story": {"pk": child.pk},
        "stories:add_home": {"pk": child.pk},
        "stories:photo": {"pk": photo.pk},
        "stories:remove_photo": {"pk": draft_photo.pk},
        "stories:photo_preview": {"pk": draft_photo.pk},
        "stories:photo_faces": {"pk": draft_photo.pk},
        "stories:add_face": {"pk": draft_photo.pk},
        "stories:check_faces": {"pk": draft_photo.pk},
        "stories:name_face": {"pk": face.pk},
        "stories:remove_face": {"pk": face.pk},
        "stories:edit": {"pk": draft.pk},
        "stories:autosave_draft": {"pk": draft.pk},
        "stories:upload_photo": {"pk": draft.pk},
        "stories:publish": {"pk": waiting.pk},
        "stories:return": {"pk": waiting.pk},
        "stories:tag": {"pk": home.pk},
    }


def _group_owner(nursery):
    from accounts.tests.factories import UserFactory
    from nursery.models import NurseryGroup

    owner = UserFactory(full_name="Gill Group-Owner")
    nursery.group = NurseryGroup.objects.create(name="Sunbeams Group")
    nursery.save(update_fields=["group"])
    nursery.group.owners.add(owner)
    return owner


def _owner_invitation_world(nursery, inviter) -> dict:
    """An invitation to own the group of ``nursery`` (which ``_group_owner`` made), waiting for a reply."""
    from nursery.services import invite_group_owner

    grant = invite_group_owner(
        group=nursery.group, email="owner2@example.org", full_name="Olive Owner", invited_by=inviter
    ).invitation.group_owner_grant
    return {f"nursery:{action}_owner_invitation": {"pk": grant.pk} for action in ("resend", "cancel")}


def _leaver(nursery, room):
    from datetime import timedelta

    from django.utils import timezone

    from nursery.tests.factories import StaffMemberFactory

    yesterday = timezone.localdate() - timedelta(days=1)
    return StaffMemberFactory(nursery=nursery, room=room, leaves_on=yesterday, user__full_name="Lee Leaver").user


def give_photos(child, member) -> None:
    """A child's photo (with the family's consent) and a practitioner's, thumbnails not made yet."""
    from children.models import ConsentPurpose
    from children.tests.factories import consent
    from core.images import process_upload
    from tests.images import camera_jpeg, upload

    consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    for owner in (child, member):
        owner.photo.save("photo.jpg", process_upload(upload(camera_jpeg())).as_file())


def url_for(name: str, world: dict) -> str:
    """Reverse ``name`` with the most specific kwargs registered for it (longest prefix)."""
    for prefix in sorted(world["kwargs"], key=len, reverse=True):
        if name.startswith(prefix):
            try:
                return reverse(name, kwargs=world["kwargs"][prefix])
            except NoReverseMatch:  # this URL takes no kwargs
                break
    return reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_url_answers_each_role_as_expected(client, world, name, role):
    expected = ACCESS.get(name)
    if expected is None:
        pytest.fail(f"{name} has no expected answers in ACCESS")
    method = "get"
    if expected[0] == "POST":
        method, expected = "post", expected[1:]
    want = expected[ROLES.index(role)]
    if role != "anonymous":
        client.force_login(world["users"][role])

    response = getattr(client, method)(url_for(name, world))

    if want == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, f"{role} {method.upper()} {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES[1:])
def test_nobody_but_superusers_gets_into_the_admin_site(client, world, role):
    client.force_login(world["users"][role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def _import_world(nursery, child, manager) -> dict:
    """import: a link for the receiving school and a pack imported from another setting."""
    from children.models import ConsentPurpose
    from children.tests.factories import ChildFactory, consent
    from transitions.models import PackImport
    from transitions.school_links import services
    from transitions.tests.packs import ready_pack

    consent(child, ConsentPurpose.SHARE_WITH_SCHOOL)
    link, _ = services.create_school_link(pack=ready_pack(child), school="St Mary's", email="", by=manager)
    joining = ChildFactory(nursery=nursery, start_date=None)
    imported = PackImport.objects.create(nursery=nursery, child=joining, from_setting="Meadow", format_version=1)
    return {
        "transitions:school_links": {"pk": child.pk},
        "transitions:revoke_school_link": {"pk": link.pk},
        "transitions:school_": {"token": link.token},
        "transitions:import_result": {"pk": imported.pk},
    }
