"""Reads for messages and announcements, scoped to the asker; ``access_*`` fetch one record or answer 404/403.

Who takes part in a child's conversation:
- the family: guardians of the child who hold parental responsibility or may add to the story (a grandparent
  the family gave view-only access does not), while the family can read the child's record;
- the care team: the child's key person, their buddy (co-key person) and the nursery's managers, as for
  confidential notes. Other staff of the nursery are refused (403): a family writes to the people who know
  their child, and messages often carry what they would tell the key person only. Staff of another nursery,
  and other families, get 404.
"""

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from children.models import Booking, Child, Guardianship, PhotoConsent
from children.selectors import children_in_staff_care, children_of_guardian, not_left_by, photo_consent_states
from core.request_memo import forget_for_now
from keyworker.selectors import assignments_on, in_post_on, may_read_confidential_notes
from nursery.models import Nursery, NurserySession, Weekday
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from .models import Announcement, AnnouncementReceipt, Conversation, EmailChoice, Message, ReadMark

NOT_ON_CARE_TEAM = "Messages with a family are for the child's key person, their buddy and the managers."
MAY_MESSAGE = Q(has_parental_responsibility=True) | Q(can_contribute=True)


# --- Who takes part -------------------------------------------------------------------------------------------


def family_links_for_messages(user: User) -> QuerySet[Guardianship]:
    """The user's links to children they may message about (readable children only)."""
    if not user.is_authenticated:
        return Guardianship.objects.none()
    return Guardianship.objects.filter(MAY_MESSAGE, user=user, child__in=children_of_guardian(user))


def family_children(user: User) -> QuerySet[Child]:
    """The user's own children whose conversation they take part in."""
    return Child.objects.filter(pk__in=family_links_for_messages(user).values("child_id"))


def care_team_children(user: User) -> QuerySet[Child]:
    """Children whose care team the user is on today: key person or buddy (in post), or a manager of the nursery.
    A subquery-friendly queryset, as ``may_read_confidential_notes`` decides for one child."""
    if not user.is_authenticated:
        return Child.objects.none()
    today = timezone.localdate()
    spells = assignments_on(today).filter(
        (Q(key_person__user=user) & in_post_on(today))
        | (Q(buddy__user=user) & in_post_on(today, "buddy__"))
        | (
            Q(buddy__isnull=True, key_person__key_group__buddy__user=user)
            & in_post_on(today, "key_person__key_group__buddy__")
        )
    )
    return children_in_staff_care(user).filter(
        Q(nursery_id__in=managed_nursery_ids(user)) | Q(pk__in=spells.values("child_id"))
    )


def family_members_for(child: Child) -> QuerySet[Guardianship]:
    """The child's family members in the conversation, with active accounts."""
    return child.guardianships.filter(MAY_MESSAGE, user__is_active=True).select_related("user")


@dataclass(frozen=True)
class Side:
    """How the asker takes part in one child's conversation."""

    as_family: bool
    may_send: bool
    reason: str = ""  # why they may not send, for the page


def access_conversation_child(user: User, pk: int) -> tuple[Child, Side]:
    """The child whose messages the user may read, with their side; 404 for anyone with no link to the child,
    403 for a colleague not on the child's care team."""
    family = family_children(user).filter(pk=pk).select_related("nursery", "room").first()
    if family is not None:
        left = family.has_left()
        return family, Side(
            as_family=True,
            may_send=not left,
            reason="Your child has left the nursery: you can read these messages but no longer send new ones."
            if left
            else "",
        )
    child = get_object_or_404(children_in_staff_care(user), pk=pk)
    if not may_read_confidential_notes(user, child):
        raise PermissionDenied(NOT_ON_CARE_TEAM)
    return child, Side(as_family=False, may_send=True)


def conversation_of(child: Child) -> Conversation | None:
    return Conversation.objects.filter(child=child).first()


def thread(conversation: Conversation | None) -> list[Message]:
    """The messages, each with ``photo_withheld`` set (see ``withheld_photo_ids``)."""
    if conversation is None:
        return []
    messages = list(conversation.messages.select_related("author").prefetch_related("children_in_photo"))
    withheld = withheld_photo_ids(messages, conversation.child_id)
    for message in messages:
        message.photo_withheld = message.pk in withheld
    return messages


# --- Who is in a photo: the same consent rules as story photos --------------------------------------------------


def photo_consent_problems(child: Child, others: list[Child]) -> list[str]:
    """Why staff may not send a photo of ``child`` with ``others`` in it (empty when they may): the child's family
    agreed to photos in the child's own story, and every other child's family to photos of them in other
    children's stories. One query. Names the children only, never their families."""
    states = photo_consent_states([child.pk, *(other.pk for other in others)])
    problems = []
    if states[child.pk] == PhotoConsent.NONE:
        problems.append(
            f"{child.known_as}'s family has not agreed to photos of {child.known_as}, so this photo cannot be sent."
        )
    problems += [
        f"{other.known_as} is in the photo, and {other.known_as}'s family has not agreed to photos of "
        f"{other.known_as} in other children's stories. Send a photo without {other.known_as}."
        for other in others
        if states[other.pk] != PhotoConsent.ALL
    ]
    return problems


def withheld_photo_ids(messages: list[Message], child_id: int) -> set[int]:
    """Photos from the nursery that the family may no longer see because consent changed after they were sent:
    the child's own photo consent was withdrawn, or another child in it no longer agrees to appear in other
    children's stories. ``children_in_photo`` prefetched; one consent query. A family's own photo is theirs."""
    from_nursery = [message for message in messages if message.photo and not message.from_family]
    others = {message.pk: {c.pk for c in message.children_in_photo.all()} - {child_id} for message in from_nursery}
    states = photo_consent_states({child_id}.union(*others.values())) if from_nursery else {}
    return {
        message.pk
        for message in from_nursery
        if states[child_id] == PhotoConsent.NONE or any(states[pk] != PhotoConsent.ALL for pk in others[message.pk])
    }


def children_who_may_be_in_photo(child: Child) -> QuerySet[Child]:
    """The other children of the child's nursery who have not left, for staff to say who else is in a photo."""
    return (
        Child.objects.filter(not_left_by(timezone.localdate()), nursery_id=child.nursery_id)
        .exclude(pk=child.pk)
        .order_by("first_name", "last_name")
    )


def add_receipts(messages: list[Message], conversation: Conversation | None, *, as_family: bool) -> None:
    """Set ``seen_by`` on each message: the names of people on the other side who have read it (read receipts),
    from one query of the thread's read marks."""
    marks = (
        list(ReadMark.objects.filter(conversation=conversation).select_related("user"))
        if conversation is not None
        else []
    )
    family_ids = (
        set(Guardianship.objects.filter(child=conversation.child).values_list("user_id", flat=True))
        if conversation is not None
        else set()
    )
    for message in messages:
        other_side = [
            mark
            for mark in marks
            if mark.last_read >= message.pk
            and mark.user_id != message.author_id
            and (mark.user_id in family_ids) != message.from_family
        ]
        message.seen_by = [mark.user.get_short_name() for mark in other_side]
        message.mine = message.from_family == as_family


# --- Unread counts --------------------------------------------------------------------------------------------


def unread_in(messages: QuerySet[Message], user: User) -> QuerySet[Message]:
    read = ReadMark.objects.filter(conversation=OuterRef("conversation"), user=user, last_read__gte=OuterRef("pk"))
    return messages.exclude(author=user).filter(~Exists(read))


def unread_messages(user: User) -> QuerySet[Message]:
    """Messages from the other side in the user's conversations that the user has not read: as family, from
    the nursery (about children who have not left: the leaver's window needs a query of its own, and this count
    is one query on every page); as care team, from the family."""
    today = timezone.localdate()
    current = Guardianship.objects.filter(MAY_MESSAGE, user=user).filter(
        Q(child__leave_date__isnull=True) | Q(child__leave_date__gte=today)
    )
    family = Q(conversation__child__in=current.values("child_id"), from_family=False)
    team = Q(conversation__child__in=care_team_children(user).values("pk"), from_family=True)
    return unread_in(Message.objects.filter(family | team), user)


def _unread_union(user: User) -> QuerySet:
    waiting = AnnouncementReceipt.objects.filter(user=user, acknowledged_at__isnull=True).order_by().values("pk")
    return unread_messages(user).order_by().values("pk").union(waiting, all=True)


# The count is drawn on every page, and building its query (the care team's subqueries) cost more than 5 ms of
# CPU a page, ten times what running it does. So its SQL is built once a day per process, for a stand-in user
# whose id is then swapped for the signed-in person's: the query is the same for everyone but for their id and
# the day. Nothing else about the user goes into it (the selectors above only ever filter on ``user``).
_SOMEONE = -7_391_245_881
_count_sql: dict[tuple[str, object], tuple[str, tuple]] = {}


def _unread_count_sql(using: str) -> tuple[str, tuple]:
    today = timezone.localdate()
    built = _count_sql.get((using, today))
    if built is None:
        with forget_for_now():  # nothing remembered for the real user in this request leaks into the SQL
            sql, params = _unread_union(User(pk=_SOMEONE)).query.get_compiler(using).as_sql()
        built = (f"SELECT COUNT(*) FROM ({sql}) unread", tuple(params))
        if timezone.localdate() == today:  # not built across midnight
            _count_sql.clear()
            _count_sql[(using, today)] = built
    return built


def unread_count(user: User) -> int:
    """For the navigation: unread messages and announcements not yet acknowledged, in one query."""
    if not user.is_authenticated:
        return 0
    using = router.db_for_read(Message)
    sql, params = _unread_count_sql(using)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [user.pk if type(p) is int and p == _SOMEONE else p for p in params])
        return cursor.fetchone()[0]


# --- Lists ----------------------------------------------------------------------------------------------------


@dataclass
class ConversationRow:
    child: Child
    unread: int
    last_message_at: object


def inbox_rows(user: User, *, as_family: bool, nursery_id: int | None = None) -> list[ConversationRow]:
    """The conversations the user takes part in (on one side), newest first, with unread counts: two queries."""
    children = family_children(user) if as_family else care_team_children(user)
    if nursery_id is not None:
        children = children.filter(nursery_id=nursery_id)
    if not as_family:
        children = children.filter(Q(leave_date__isnull=True) | Q(conversation__isnull=False))
    children = list(
        children.select_related("conversation", "room").order_by(
            F("conversation__last_message_at").desc(nulls_last=True), "first_name", "last_name"
        )[:200]
    )
    counts: dict[int, int] = {}
    unread = unread_in(
        Message.objects.filter(conversation__child__in=[c.pk for c in children], from_family=not as_family), user
    )
    for child_id in unread.values_list("conversation__child_id", flat=True):
        counts[child_id] = counts.get(child_id, 0) + 1
    rows = []
    for child in children:
        conversation = getattr(child, "conversation", None)
        rows.append(
            ConversationRow(
                child=child,
                unread=counts.get(child.pk, 0),
                last_message_at=conversation.last_message_at if conversation else None,
            )
        )
    return rows


def announcements_for_family(user: User) -> QuerySet[AnnouncementReceipt]:
    return (
        AnnouncementReceipt.objects.filter(user=user)
        .select_related("announcement__room", "announcement__nursery", "announcement__sent_by")
        .order_by("-announcement__sent_at")
    )


def announcements_for_staff(nursery_id: int) -> QuerySet[Announcement]:
    return (
        Announcement.objects.filter(nursery_id=nursery_id)
        .select_related("room", "sent_by")
        .annotate(
            sent_to=Count("receipts"),
            acknowledged=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False)),
        )
    )


def access_announcement(user: User, pk: int) -> tuple[Announcement, AnnouncementReceipt | None, bool]:
    """An announcement the user received (with their receipt) or may report on (staff of its nursery: managers
    and whoever sent it see who has not read it); 404 otherwise."""
    announcement = get_object_or_404(Announcement.objects.select_related("room", "nursery", "sent_by"), pk=pk)
    receipt = AnnouncementReceipt.objects.filter(announcement=announcement, user=user).first()
    is_staff = staff_nursery_ids(user).filter(nursery_id=announcement.nursery_id).exists()
    may_report = is_staff and (
        announcement.sent_by_id == user.pk
        or managed_nursery_ids(user).filter(nursery_id=announcement.nursery_id).exists()
    )
    if receipt is None and not is_staff:
        raise Http404("No such announcement.")
    return announcement, receipt, may_report


def acknowledgement_report(announcement: Announcement) -> tuple[list[AnnouncementReceipt], list[AnnouncementReceipt]]:
    """(not yet read, read) receipts, each with ``children``: the names of that person's children it was for."""
    receipts = list(announcement.receipts.select_related("user").order_by("user__full_name"))
    children = Child.objects.filter(
        nursery_id=announcement.nursery_id, guardianships__user__in=[r.user_id for r in receipts]
    )
    if announcement.room_id:
        children = children.filter(room_id=announcement.room_id)
    names: dict[int, list[str]] = {}
    for user_id, first, preferred, last in children.values_list(
        "guardianships__user_id", "first_name", "preferred_name", "last_name"
    ):
        names.setdefault(user_id, []).append(f"{preferred or first} {last}")
    for receipt in receipts:
        receipt.children = sorted(names.get(receipt.user_id, []))
    waiting = [r for r in receipts if r.acknowledged_at is None]
    done = [r for r in receipts if r.acknowledged_at is not None]
    return waiting, done


# --- E-mail choice and opening hours --------------------------------------------------------------------------


def email_frequency(user: User) -> str:
    choice = EmailChoice.objects.filter(user=user).first()
    return choice.frequency if choice else EmailChoice.Frequency.IMMEDIATE


DASH = "\u2013"  # an en dash between the ends of a range, as printed timetables have it
WEEKDAY_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _days_in_words(days: list[int]) -> str:
    """[0, 1, 2, 3, 4] -> "Mon to Fri" (with a dash); [0, 2] -> "Mon, Wed"."""
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAY_SHORT[days[0]]}{DASH}{WEEKDAY_SHORT[days[-1]]}"
    return ", ".join(WEEKDAY_SHORT[day] for day in days)


def _time_in_words(at: time) -> str:
    return f"{at.hour}:{at.minute:02d}"


def opening_hours(nursery: Nursery) -> str:
    """E.g. "Mon to Fri 8:00 to 18:00" (with dashes): from the first session's start to the last one's end, on
    the weekdays children are booked (Monday to Friday when nobody is booked yet); "" without session times."""
    sessions = NurserySession.objects.filter(nursery=nursery)
    starts = sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
    ends = sessions.order_by("-ends_at").values_list("ends_at", flat=True).first()
    if starts is None or ends is None:
        return ""
    days = sorted(set(Booking.objects.filter(child__nursery=nursery).values_list("weekday", flat=True).distinct())) or [
        Weekday.MONDAY,
        Weekday.TUESDAY,
        Weekday.WEDNESDAY,
        Weekday.THURSDAY,
        Weekday.FRIDAY,
    ]
    return f"{_days_in_words([int(day) for day in days])} {_time_in_words(starts)}{DASH}{_time_in_words(ends)}"
