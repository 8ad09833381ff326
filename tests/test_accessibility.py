"""Pages pass axe-core's WCAG 2.2 AA checks at tablet and phone size, and work from the keyboard."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.services import invitation_token
from accounts.tests.factories import InvitationFactory
from children.models import Child
from demo.data import load_demo
from nursery.models import Room, StaffMember
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()

PAGES = {
    None: ["accounts:login", "accounts:password_reset", "invitation"],
    "manager@rainbow.example": [
        "keyworker:overview",
        "children:list",
        "child",
        "audit",
        "nursery:staff",
        "nursery:invite_staff",
        "nursery:rooms",
        "children:add",
        "children:edit@Ava",
        "children:emergency_contact_add@Ava",
        "children:all_about_me_edit@Ava",
        "children:consents@Leo",
        "children:consent_purposes",
        "keyworker:key_groups",
        "keyworker:register",
        "keyworker:ratios",
        "nursery:sessions",
        "nursery:absences",
        "keyworker:assign@Ava",
        "children:bookings@Ava",
        "working_week",
        "key_group",
        "reassign_group",
        "framework:statements",
        "framework:add_statement",
        "children:change_photo@Ava",
        "nursery:undelivered_mail",
    ],
    "priya@rainbow.example": [
        "keyworker:my_key_children",
        "accounts:password_change",
        "keyworker:register",
        "children:detail@Zara",
        "children:all_about_me@Zara",
        "keyworker:confidential_notes@Zara",
        "nursery:my_photo",
        "register",
        "care_log",
        "children:report_incident@Zara",
        "room_feedback",
    ],
    "sam.taylor@families.example": [
        "keyworker:my_children",
        "child",
        "missing",
        "children:consents@Ava",
        "children:all_about_me@Ava",
        "children:propose_home_change@Ava",
        "children:family_notes@Ava",
        "children:my_details",
        "keyworker:feedback_history@Ava",
    ],
}
# The learning story's pages (appended so other branches' additions merge cleanly).
PAGES["manager@rainbow.example"] += ["stories:review_queue", "stories:review_settings", "story"]
PAGES["priya@rainbow.example"] += [
    "stories:new",
    "stories:drafts",
    "keyworker:whats_new",
    "group_observation",
    "tag_home",
    "story_zara",
]
PAGES["sam.taylor@families.example"] += ["story", "group_observation", "add_home", "stories:notifications"]
# import: sharing with the receiving school and importing a pack from another setting
PAGES["manager@rainbow.example"] += ["transitions:school_links@Ava", "transitions:import_pack"]
PAGES["sam.taylor@families.example"] += ["transitions:school_links@Ava"]
# check: the progress check at two (Harry's draft, Sienna's check shared with her father Paul)
PAGES["priya@rainbow.example"] += ["checks:due", "check_draft", "children:detail@Harry"]
PAGES["manager@rainbow.example"] += ["check_shared"]
PAGES["paul.king@families.example"] = ["keyworker:my_children", "check_shared"]
# move: room moves and leavers (addresses at the end of the file)
PAGES["manager@rainbow.example"] += [
    "transitions:plans",
    "transitions:leaver_access",
    "transitions:new_plan@Evie",
    "move_plan",
    "move_visit",
    "move_report",
    "move_meeting",
]
PAGES["priya@rainbow.example"] += ["move_plan"]
PAGES["jo.fox@families.example"] = ["ruby_plan"]
# pack: the leaver pack's progress page while a pack is being made (the child page shows its panel).
PAGES["sam.taylor@families.example"] += ["leaver_pack"]
# setup: the set-up checklist, the nursery's details and a room's form
PAGES["manager@rainbow.example"] += ["nursery:setup", "nursery:details", "nursery:add_room"]


# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core has no rule tagged wcag22a: 2.2's new A criteria need people).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page: Page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} places, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]


def address(name: str) -> str:
    if "@" in name:  # "url name@first name": a page about that demo child
        url_name, first_name = name.split("@")
        return reverse(url_name, args=[Child.objects.get(first_name=first_name).pk])
    if name == "child":
        return reverse("children:detail", args=[Child.objects.get(first_name="Ava").pk])
    if name == "audit":
        return reverse("children:audit_log", args=[Child.objects.get(first_name="Ava").pk])
    if name == "invitation":
        return reverse("accounts:accept_invitation", args=[invitation_token(InvitationFactory())])
    if name == "missing":
        return "/no-such-page/"
    if name in ("working_week", "key_group", "reassign_group"):
        view = {"working_week": "nursery:working_pattern"}.get(name, f"keyworker:{name}")
        return reverse(view, args=[StaffMember.objects.get(user__email="priya@rainbow.example").pk])
    if name in ("register", "care_log", "room_feedback"):
        view = {"register": "children:room_register", "care_log": "children:room_care"}.get(
            name, "keyworker:room_feedback"
        )
        return reverse(view, args=[Room.objects.get(name="Butterflies").pk])
    if name in STORY_ADDRESSES:
        return STORY_ADDRESSES[name]()
    return reverse(name)


def _story_address(name: str, **lookup) -> str:
    from learning_stories.models import Observation

    if name in ("stories:story", "stories:add_home"):
        return reverse(name, args=[Child.objects.get(**lookup).pk])
    return reverse(name, args=[Observation.objects.filter(**lookup).first().pk])


STORY_ADDRESSES = {
    "story": lambda: _story_address("stories:story", first_name="Ava"),
    "story_zara": lambda: _story_address("stories:story", first_name="Zara"),
    "add_home": lambda: _story_address("stories:add_home", first_name="Ava"),
    "group_observation": lambda: _story_address("stories:observation", text__contains="dug a big hole"),
    "tag_home": lambda: _story_address("stories:tag", source="home"),
}
# pack
STORY_ADDRESSES["leaver_pack"] = lambda: _leaver_pack_address()


def _leaver_pack_address() -> str:
    from transitions.tests.factories import LeaverPackFactory

    ava = Child.objects.get(first_name="Ava")
    pack = LeaverPackFactory(child=ava, status="building", progress=40, stage="Adding the photos")
    return reverse("transitions:pack", args=[pack.pk])


# dash: support plans, the SENCO view and a parent reading her child's plan.
def _zara_plan(view: str) -> str:
    from children.support_plans.models import SupportPlan

    return reverse(view, args=[SupportPlan.objects.get(child__first_name="Zara").pk])


STORY_ADDRESSES |= {
    "zara_plan": lambda: _zara_plan("children:support_plan"),
    "zara_plan_review": lambda: _zara_plan("children:support_review"),
    "zara_plan_target": lambda: _zara_plan("children:support_target_add"),
}
PAGES["manager@rainbow.example"] += ["keyworker:senco"]
PAGES["priya@rainbow.example"] += [
    "zara_plan",
    "zara_plan_review",
    "zara_plan_target",
    "children:support_plan_create@Zara",
]
PAGES["jess.ahmed@families.example"] = ["zara_plan", "children:detail@Zara"]
# absence: a parent reports her child off; staff record a call
PAGES["jess.ahmed@families.example"] += ["children:report_absence@Zara"]
PAGES["priya@rainbow.example"] += ["children:report_absence@Zara"]


# medicines: Jess's permission for Zara, given in Butterflies; Sam asks for Ava.
def _zara_medicine(view: str) -> str:
    from children.medicines.models import MedicineRequest
    from children.tests.medicine_factories import MedicineRequestFactory

    zara = Child.objects.get(first_name="Zara")
    medicine = MedicineRequest.objects.filter(child=zara).first() or MedicineRequestFactory(child=zara)
    return reverse(view, args=[medicine.child.room_id if view == "children:room_medicines" else medicine.pk])


STORY_ADDRESSES |= {
    "zara_medicine": lambda: _zara_medicine("children:medicine_request"),
    "zara_medicine_dose": lambda: _zara_medicine("children:medicine_dose"),
    "room_medicines": lambda: _zara_medicine("children:room_medicines"),
}
PAGES["priya@rainbow.example"] += ["room_medicines", "zara_medicine_dose", "zara_medicine"]
PAGES["jess.ahmed@families.example"] += ["zara_medicine"]
PAGES["sam.taylor@families.example"] += ["children:medicine_ask@Ava"]
# messaging: a family's and the key person's conversation, the inbox, announcements and the e-mail choice
PAGES["jess.ahmed@families.example"] += ["messaging:inbox", "messaging:conversation@Zara", "messaging:email_preference"]
PAGES["priya@rainbow.example"] += ["messaging:inbox", "messaging:conversation@Zara"]
PAGES["manager@rainbow.example"] += ["messaging:announcements"]


# wellbeing: Ava's story with Leuven ratings (the trend chart and its table), and the families' setting
def _rated_story() -> str:
    from learning_stories.models import Observation

    ava = Child.objects.get(first_name="Ava")
    # Ratings belong to observations of one child: the trend leaves group observations out.
    own = Observation.objects.filter(child_links__child=ava).exclude(status="draft")
    own = own.exclude(child_links__child__in=Child.objects.exclude(pk=ava.pk))
    assert own.count() >= 2  # a trend needs two points
    for rating, entry in enumerate(own[:4]):
        entry.wellbeing, entry.involvement = 1 + rating % 5, 5 - rating % 5
        entry.save(update_fields=["wellbeing", "involvement"])
    return reverse("stories:story", args=[ava.pk])


STORY_ADDRESSES |= {"story_rated": _rated_story}
PAGES["priya@rainbow.example"] += ["story_rated"]
PAGES["manager@rainbow.example"] += ["stories:wellbeing_settings"]


@pytest.mark.parametrize("viewport", ["tablet", "phone"])
@pytest.mark.parametrize("who", list(PAGES), ids=lambda who: (who or "visitor").split("@")[0])
def test_pages_have_no_accessibility_violations(request, live_server, viewport, who):
    page = request.getfixturevalue(viewport)
    load_demo()
    if who:
        log_in(page, live_server.url, who)
    found = {}
    for name in PAGES[who]:
        page.goto(live_server.url + address(name))
        found[name] = violations(page)
    page.problems.clear()  # the deliberate 404 is logged by the browser itself
    assert found == {name: [] for name in PAGES[who]}


def test_keyboard_users_can_skip_straight_to_the_page_content(live_server, tablet):
    load_demo()
    log_in(tablet, live_server.url, "priya@rainbow.example")
    tablet.keyboard.press("Tab")
    skip = tablet.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    tablet.keyboard.press("Enter")
    expect(tablet.locator("main")).to_be_focused()


# plan: next steps, the planning board and meetings with families
def _plan_address(name: str) -> str:
    from keyworker.models import Consultation, PlannedActivity

    butterflies = Room.objects.get(name="Butterflies")
    if name == "meeting_ava":
        return reverse("keyworker:meeting", args=[Consultation.objects.get(child__first_name="Ava").pk])
    if name == "plan_activity":
        return reverse("keyworker:plan_activity", args=[PlannedActivity.objects.filter(room=butterflies).first().pk])
    return reverse(f"keyworker:{name}", args=[butterflies.pk])


STORY_ADDRESSES.update(
    {
        name: (lambda name=name: _plan_address(name))
        for name in ("meeting_ava", "plan_board", "plan_add", "plan_activity")
    }
)
PAGES["priya@rainbow.example"] += [
    "plan_board",
    "plan_add",
    "plan_activity",
    "keyworker:meetings",
    "meeting_ava",
    "stories:next_steps@Zara",
]
PAGES["sam.taylor@families.example"] += ["keyworker:family_meetings", "meeting_ava", "stories:next_steps@Ava"]


# check
def _check_address(name: str, first_name: str) -> str:
    from learning_stories.models import ProgressCheck

    return reverse(name, args=[ProgressCheck.objects.get(child__first_name=first_name).pk])


STORY_ADDRESSES["check_draft"] = lambda: _check_address("checks:edit", "Harry")
STORY_ADDRESSES["check_shared"] = lambda: _check_address("checks:detail", "Sienna")
# assess: assessment points, a child's assessments and grid, and the trackers
PAGES["manager@rainbow.example"] += ["stories:assessment_points", "keyworker:tracker", "stories:assessments@Ava"]
PAGES["priya@rainbow.example"] += ["keyworker:tracker", "assess_zara"]
PAGES["sam.taylor@families.example"] += ["stories:assessments@Ava"]


def _assess_zara() -> str:
    zara = Child.objects.get(first_name="Zara")
    return reverse("stories:assess_child", args=[zara.pk, zara.nursery.assessment_points.last().pk])


STORY_ADDRESSES["assess_zara"] = _assess_zara


# move: room moves and leavers
def _transition_address(name: str, first_name: str) -> str:
    from transitions.models import TransitionPlan

    plan = TransitionPlan.objects.get(child__first_name=first_name)
    if name == "transitions:record_visit":
        return reverse(name, args=[plan.trial_visits.first().pk])
    return reverse(name, args=[plan.pk])


STORY_ADDRESSES.update(
    {
        "move_plan": lambda: _transition_address("transitions:plan", "Mohammed"),
        "move_visit": lambda: _transition_address("transitions:record_visit", "Mohammed"),
        "move_report": lambda: _transition_address("transitions:report", "Reuben"),
        "move_meeting": lambda: _transition_address("transitions:meeting", "Reuben"),
        "ruby_plan": lambda: _transition_address("transitions:plan", "Ruby"),
    }
)
# posts: a member of staff's post (role, responsibilities, qualification, room, dates)
STORY_ADDRESSES["edit_staff"] = lambda: reverse(
    "nursery:edit_staff", args=[StaffMember.objects.get(user__email="priya@rainbow.example").pk]
)
PAGES["manager@rainbow.example"] += ["edit_staff"]


# twofa: two-step sign-in, its set-up page (the QR code) and a colleague's post with the reset button
PAGES["sam.taylor@families.example"] += ["accounts:two_factor", "accounts:two_factor_setup"]
PAGES["manager@rainbow.example"] += ["staff_post"]
STORY_ADDRESSES["staff_post"] = lambda: reverse(
    "nursery:edit_staff", args=[StaffMember.objects.get(user__email="priya@rainbow.example").pk]
)

# collection: the family's page of who may collect, the password and one-off collectors
PAGES["sam.taylor@families.example"] += ["children:collection@Ava"]


# settling: a starter's settling-in plan with a session that went well, for staff and the family.
def _settling_address() -> str:
    from django.utils import timezone

    from transitions.tests.factories import SettlingSessionFactory

    ava = Child.objects.get(first_name="Ava")
    SettlingSessionFactory(
        plan__child=ava, starts_at=timezone.now() - timedelta(days=1), outcome="settled", what_helped="Her bunny"
    )
    return reverse("transitions:settling", args=[ava.pk])


STORY_ADDRESSES["settling"] = _settling_address
PAGES["sam.taylor@families.example"] += ["settling"]
PAGES["priya@rainbow.example"] += ["settling", "transitions:settling_details@Ava"]


# carers: sharing a summary with another carer (the key person's page, the family's answer, the carer's page)
def _carer_address(first_name: str, *, agreed: bool, carer_page: bool = False) -> str:
    from keyworker.selectors import key_person_on
    from transitions.carer_links import services

    child = Child.objects.get(first_name=first_name)
    by = key_person_on(child).user
    carer = services.add_carer(
        child=child, name="Tess Hughes", role="speech_therapist", organisation="NHS", email="", by=by
    )
    if agreed:
        services.decide(carer=carer, agreed=True, by=child.guardianships.first().user)
        link = services.create_carer_link(carer=carer, by=by)
        services.send_carer_note(link=link, text="Working on two-word phrases.")
        if carer_page:
            return reverse("transitions:carer_page", args=[link.token])
    return reverse("transitions:carers", args=[child.pk])


STORY_ADDRESSES.update(
    {
        "carers_asked": lambda: _carer_address("Evie", agreed=False),
        "carers_shared": lambda: _carer_address("Ava", agreed=True),
        "carer_page": lambda: _carer_address("Ava", agreed=True, carer_page=True),
    }
)
PAGES["priya@rainbow.example"] += ["carers_asked"]
PAGES["sam.taylor@families.example"] += ["carers_shared"]
PAGES[None] += ["carer_page"]
