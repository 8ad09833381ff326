"""Hostile free text on every page that takes it: too long, NUL bytes, broken characters, RTL overrides, huge
words and HTML. Each answer is below 500; refused text comes back with a reason naming the limit and is not
stored; accepted text is shown escaped."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Invitation
from children.day import services as day_services
from children.day.models import CareEntry
from children.day.selectors import moment
from children.models import Child, ConfidentialNote
from children.support_plans.models import SupportPlan
from core.text import LONG, OBSERVATION, SHORT, length_message
from keyworker.models import Consultation, SessionFeedback
from keyworker.tests.day import all_day_session, attended
from learning_stories.models import Comment, Observation, ProgressCheck
from learning_stories.progress_check import services as check_services
from learning_stories.progress_check.selectors import prime_areas_for
from learning_stories.tests.factories import ObservationFactory
from nursery.models import NurserySession
from transitions.models import TransitionReport
from transitions.report import services as report_services
from transitions.tests.factories import TransitionPlanFactory

# A Wednesday morning: the child (born 14 March 2024) is two and a half, in time for the check at two.
TODAY = date(2026, 12, 9)
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(moment(TODAY, time(10, 30)))]
HTMX = {"HX-Request": "true"}
UNSAVEABLE = "contains a character that can&#x27;t be saved"


@dataclass
class Target:
    """One page that takes free text: who posts it, where, how, and what it stores."""

    who: str
    url: str
    data: Callable[[str], dict]
    limit: int
    stored: Callable[[], object]  # a snapshot of what the page writes, compared before and after
    what: str = "this"  # as the length message names it
    headers: dict | None = None
    in_place: bool = False  # the answer updates part of the page (autosave's JSON, an htmx list): the box stays
    shown: str = ""  # where accepted text is shown afterwards (defaults to the response itself)
    reader: str = ""  # who reads it there (defaults to who wrote it)


def observation_submit(request) -> Target:
    child = request.getfixturevalue("child")

    def data(text):
        return {
            "observed_at": "2026-12-09T10:00",
            "children": [child.pk],
            "text": text,
            "action": "submit",
            "client_key": str(uuid.uuid4()),
        }

    return Target("practitioner", reverse("stories:new"), data, OBSERVATION, lambda: Observation.objects.count())


def observation_autosave(request) -> Target:
    target = observation_submit(request)
    target.url, target.in_place = reverse("stories:autosave"), True
    return target


def next_step(request) -> Target:
    child = request.getfixturevalue("child")
    target = observation_submit(request)
    target.data = lambda text: observation_submit(request).data("Built a tower.") | {f"next_steps_{child.pk}": text}
    target.limit, target.what = SHORT, "a next step"
    return target


def story_comment(request) -> Target:
    child = request.getfixturevalue("child")
    entry = ObservationFactory(nursery=child.nursery, children=[child], text="Painted a rainbow.")
    return Target(
        "parent",
        reverse("stories:comment", args=[entry.pk]),
        lambda text: {"child": child.pk, "text": text},
        SHORT,
        lambda: Comment.objects.count(),
        what="your comment",
    )


def home_contribution(request) -> Target:
    child = request.getfixturevalue("child")
    return Target(
        "parent",
        reverse("stories:add_home", args=[child.pk]),
        lambda text: {"text": text, "observed_on": TODAY.isoformat()},
        OBSERVATION,
        lambda: Observation.objects.count(),
        shown=reverse("stories:story", args=[child.pk]),
    )


def care_note(request) -> Target:
    child, room, practitioner = (request.getfixturevalue(name) for name in ("child", "room", "practitioner"))
    day_services.sign_in(child=child, by=practitioner, at=moment(TODAY, time(8)))
    return Target(
        "practitioner",
        reverse("children:room_care", args=[room.pk]),
        lambda text: {"child": [child.pk], "action": "note:", "at": "10:15", "note": text},
        500,
        lambda: CareEntry.objects.count(),
    )


def care_note_htmx(request) -> Target:
    target = care_note(request)
    target.headers, target.in_place = HTMX, True
    return target


def feedback_note(request) -> Target:
    child, room = request.getfixturevalue("child"), request.getfixturevalue("room")
    session = all_day_session(child.nursery)
    attended(child, session, TODAY, start=moment(TODAY, time(8)))
    return Target(
        "practitioner",
        reverse("keyworker:room_feedback", args=[room.pk]),
        lambda text: {"session": session.pk, f"note-{child.pk}": text},
        SHORT,
        lambda: list(SessionFeedback.objects.values_list("note", "status")),
        what="each note",
        shown=reverse("keyworker:feedback_history", args=[child.pk]),
    )


def confidential_note(request) -> Target:
    child = request.getfixturevalue("child")
    return Target(
        "practitioner",
        reverse("keyworker:confidential_notes", args=[child.pk]),
        lambda text: {"text": text},
        LONG,
        lambda: ConfidentialNote.objects.count(),
    )


def meeting_request(request) -> Target:
    child = request.getfixturevalue("child")
    return Target(
        "parent",
        reverse("keyworker:meeting_ask", args=[child.pk]),
        lambda text: {"message": text, "preferred_times": ""},
        SHORT,
        lambda: Consultation.objects.count(),
        shown=reverse("keyworker:meetings"),
        reader="practitioner",
    )


def support_plan(request) -> Target:
    child = request.getfixturevalue("child")

    def data(text):
        return {
            "title": "Talking and listening",
            "needs": text,
            "started_on": TODAY.isoformat(),
            "next_review_on": (TODAY + timedelta(weeks=6)).isoformat(),
        }

    return Target(
        "practitioner",
        reverse("children:support_plan_create", args=[child.pk]),
        data,
        LONG,
        lambda: list(SupportPlan.objects.values_list("needs", flat=True)),
    )


def progress_check(request) -> Target:
    child, practitioner = request.getfixturevalue("child"), request.getfixturevalue("practitioner")
    check = check_services.start_progress_check(
        child=child, by=practitioner, prime_areas=prime_areas_for(child.nursery_id)
    )

    def data(text):
        fields = {"checked_on": check.checked_on.isoformat(), "strengths": text, "less_than_expected": ""}
        fields |= {"setting_plan": "Stories.", "family_plan": "Read at bedtime.", "action": "save"}
        for row in check.area_summaries.all():
            fields |= {f"area-{row.area_id}-summary": "Doing well.", f"area-{row.area_id}-on_track": "yes"}
        return fields

    return Target(
        "practitioner",
        reverse("checks:edit", args=[check.pk]),
        data,
        LONG,
        lambda: list(ProgressCheck.objects.values_list("strengths", flat=True)),
    )


def transition_report(request) -> Target:
    child, practitioner = request.getfixturevalue("child"), request.getfixturevalue("practitioner")
    plan = TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")
    report_services.start_report(plan=plan, by=practitioner)

    def data(text):
        fields = {"characteristics": "Keeps trying", "interests": "Trains", "needs": "", "attendance": "Good"}
        return fields | {"parent_view": "", "child_voice": "I like school", "area_CL": text}

    return Target(
        "practitioner",
        reverse("transitions:report", args=[plan.pk]),
        data,
        LONG,
        lambda: list(TransitionReport.objects.values_list("areas", flat=True)),
    )


def report_review(request) -> Target:
    child, practitioner = request.getfixturevalue("child"), request.getfixturevalue("practitioner")
    plan = TransitionPlanFactory(child=child, kind="school", receiving_setting="Meadow Lane Primary")
    report = report_services.start_report(plan=plan, by=practitioner)
    report_services.review_report(report=report, action="submit", by=practitioner)
    return Target(
        "manager",
        reverse("transitions:review_report", args=[plan.pk]),
        lambda text: {"action": "return", "comment": text},
        SHORT,
        lambda: list(TransitionReport.objects.values_list("status", "review_comment")),
        shown=reverse("transitions:report", args=[plan.pk]),
    )


def staff_invite(request) -> Target:
    request.getfixturevalue("manager")
    return Target(
        "manager",
        reverse("nursery:invite_staff"),
        lambda text: {"full_name": text, "email": "tom@example.org", "role": "practitioner", "job_title": ""},
        150,
        lambda: Invitation.objects.count(),
    )


def child_name(request) -> Target:
    room = request.getfixturevalue("room")

    def data(text):
        return {
            "first_name": text,
            "last_name": "Hussain",
            "preferred_name": "",
            "date_of_birth": (TODAY - timedelta(days=800)).isoformat(),
            "start_date": TODAY.isoformat(),
            "leave_date": "",
            "room": room.pk,
        }

    return Target("manager", reverse("children:add"), data, 80, lambda: Child.objects.count())


PAGES = {
    page.__name__: page
    for page in (
        observation_submit,
        observation_autosave,
        next_step,
        story_comment,
        home_contribution,
        care_note,
        care_note_htmx,
        feedback_note,
        confidential_note,
        meeting_request,
        support_plan,
        progress_check,
        transition_report,
        report_review,
        staff_invite,
        child_name,
    )
}


def post(request, target: Target, text: str):
    client = request.getfixturevalue("login")(request.getfixturevalue(target.who))
    return client, client.post(target.url, target.data(text), headers=target.headers or {})


def words_over(limit: int) -> str:
    """Ordinary words, a little over the limit."""
    return ("The children built a tall tower. " * (limit // 30 + 2))[: limit + 37]


# --- Refused: too long, or a character a database cannot hold ---------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_text_over_the_limit_is_refused_with_the_limit_named_and_kept_in_the_box(request, page):
    target = PAGES[page](request)
    before = target.stored()
    typed = words_over(target.limit)

    _, response = post(request, target, typed)

    assert response.status_code < 500
    assert response.status_code != 302, "refused text must not be taken as saved"
    body = response.content.decode()
    message = length_message(target.limit, len(typed.strip()), target.what)
    assert escape(message) in body or message in body
    if target.in_place:
        assert 'id="care-note"' not in body  # the note box is not swapped out (emptied)
    else:
        assert escape(typed) in body
    assert target.stored() == before


@pytest.mark.parametrize("page", PAGES)
def test_a_nul_byte_is_refused_with_a_plain_message_and_nothing_is_stored(request, page):
    target = PAGES[page](request)
    before = target.stored()

    _, response = post(request, target, "Built a tower\x00 then knocked it down")

    assert response.status_code < 500
    assert response.status_code != 302
    body = response.content.decode()
    assert UNSAVEABLE in body or "contains a character that can't be saved" in body
    assert "Null characters are not allowed" not in body
    if not target.in_place:
        assert "knocked it down" in body
    assert target.stored() == before


def test_a_long_comment_names_the_comment_and_its_length(request, login, parent):
    target = story_comment(request)
    response = login(parent).post(target.url, target.data("x" * 2345))
    assert "Keep your comment to 2,000 characters (it has 2,345)." in response.content.decode()
    assert "Write a comment first." not in response.content.decode()


def test_an_empty_comment_still_asks_for_one(request, login, parent):
    target = story_comment(request)
    response = login(parent).post(target.url, target.data("   "))
    assert "Write a comment first." in response.content.decode()
    assert not Comment.objects.exists()


def test_one_refused_feedback_note_sends_nothing_and_keeps_every_note(request, login, practitioner, other_child):
    target = feedback_note(request)
    attended(other_child, NurserySession.objects.get(), TODAY, start=moment(TODAY, time(8)))
    data = target.data("x" * 2001) | {f"note-{other_child.pk}": "Zara loved the sand."}
    response = login(practitioner).post(target.url, data)
    body = response.content.decode()
    assert "Zara loved the sand." in body
    assert "Keep each note to 2,000 characters (it has 2,001)." in body
    assert not SessionFeedback.objects.exists()


# --- Accepted: shown as text, never as markup ----------------------------------------------------------------

ACCEPTED = {
    "html": '<script>alert("hi")</script><img src=x onerror=alert(1)> & <b>bold</b>',
    "rtl override": "Tom \u202eevil.exe\u202c built a boat",
    "one long word": "",  # as long as the field takes: see below
    "emoji and accents": "Zoë 🦖 said «encore» — again!",
}
SHOWN_ON = ["story_comment", "home_contribution", "confidential_note", "care_note", "meeting_request", "child_name"]


@pytest.mark.parametrize("page", SHOWN_ON)
@pytest.mark.parametrize("payload", ACCEPTED)
def test_accepted_text_is_stored_as_typed_and_shown_escaped(request, page, payload):
    target = PAGES[page](request)
    before = target.stored()
    typed = "Z" * target.limit if payload == "one long word" else ACCEPTED[payload]  # exactly at the limit

    client, response = post(request, target, typed)

    assert response.status_code < 400
    assert target.stored() != before
    if target.reader:
        client = request.getfixturevalue("login")(request.getfixturevalue(target.reader))
    shown = client.get(target.shown or getattr(response, "url", None) or target.url).content.decode()
    assert escape(typed) in shown
    assert "<script>alert" not in shown
    assert "<img src=x" not in shown


def test_a_broken_character_sent_raw_is_replaced_not_a_crash(login, practitioner, child):
    """A lone UTF-16 surrogate (%ED%A0%80) cannot be encoded: it arrives as U+FFFD, never as a server error."""
    response = login(practitioner).post(
        reverse("keyworker:confidential_notes", args=[child.pk]),
        "text=Tower%ED%A0%80built",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500
    assert ConfidentialNote.objects.get().text == "Tower\ufffd\ufffd\ufffdbuilt"


def test_a_broken_character_in_a_comment_is_replaced_not_a_crash(request, login, parent):
    target = story_comment(request)
    child = request.getfixturevalue("child")
    response = login(parent).post(
        target.url, f"child={child.pk}&text=Lovely%ED%A0%80", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert "\ud800" not in Comment.objects.get().text
