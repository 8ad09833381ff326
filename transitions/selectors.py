"""Reads for transitions, scoped to the person asking."""

import hmac
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from children.models import Child, ConsentPurpose, Guardianship
from children.selectors import (
    can_manage_child,
    children_of_guardian,
    children_visible_to,
    guardian_link,
    has_consent,
    works_at_childs_nursery,
)
from core.models import OutgoingMail
from keyworker.selectors import is_key_person, key_person_on
from nursery.models import Room
from nursery.selectors import managed_nursery_ids, staff_nursery_ids

from .models import (
    HandoverNote,
    LeaverPack,
    PackImport,
    SchoolDownload,
    SchoolShareLink,
    TransitionPlan,
    TransitionReport,
    TrialVisit,
)


def ready_packs_of(child: Child) -> QuerySet[LeaverPack]:
    return child.leaver_packs.filter(status=LeaverPack.Status.READY).exclude(file="")


def school_links_of(child: Child) -> QuerySet[SchoolShareLink]:
    """Every link made for the child's packs, with its downloads (newest first)."""
    return (
        SchoolShareLink.objects.filter(pack__child=child)
        .select_related("pack", "created_by")
        .prefetch_related(Prefetch("downloads", queryset=SchoolDownload.objects.order_by("-at")))
    )


def school_link_mail_key(link_id: int) -> str:
    """The outbox key of the e-mail that gives the school its link."""
    return f"school-link:{link_id}"


@dataclass(frozen=True)
class SchoolLinkRow:
    """A link on the school links page, and whether its e-mail to the school has gone."""

    link: SchoolShareLink
    emailed: bool


def school_link_rows(child: Child) -> list[SchoolLinkRow]:
    """The child's links with their e-mail's state from the outbox, in two queries however many there are."""
    links = list(school_links_of(child))
    keys = [school_link_mail_key(link.pk) for link in links if link.email]
    sent = set(OutgoingMail.objects.filter(key__in=keys, status=OutgoingMail.Status.SENT).values_list("key", flat=True))
    return [SchoolLinkRow(link=link, emailed=school_link_mail_key(link.pk) in sent) for link in links]


def school_links_managed_by(user: User) -> QuerySet[SchoolShareLink]:
    return SchoolShareLink.objects.filter(pack__child__nursery_id__in=managed_nursery_ids(user)).select_related(
        "pack__child"
    )


def school_link_for_token(token: str) -> SchoolShareLink | None:
    """The link a school's address names, or None. Tokens are 256-bit random, so looking one up leaks
    nothing; the comparison is still constant-time."""
    link = SchoolShareLink.objects.filter(token=token).select_related("pack__child__nursery").first()
    if link is None or not hmac.compare_digest(link.token.encode(), token.encode()):
        return None
    return link


def school_link_works(link: SchoolShareLink) -> bool:
    """Checked on every request: not revoked or expired, the pack still there, and the family's consent
    to sharing with the school still given (withdrawing it stops the link at once)."""
    pack = link.pack
    return (
        link.revoked_at is None
        and link.expires_at > timezone.now()
        and pack.status == LeaverPack.Status.READY
        and bool(pack.file)
        and has_consent(pack.child, ConsentPurpose.SHARE_WITH_SCHOOL)
    )


def imports_managed_by(user: User) -> QuerySet[PackImport]:
    return PackImport.objects.filter(nursery_id__in=managed_nursery_ids(user)).select_related("child", "imported_by")


def transitions_panel(request: HttpRequest, child: Child) -> dict:
    """The child's page: where they came from (an imported pack, for whoever sees the child), and the school
    links (for managers and the family)."""
    is_manager = can_manage_child(request.user, child)
    is_family = guardian_link(request.user, child) is not None
    links = list(school_links_of(child)) if is_manager or is_family else []
    return {
        "child": child,
        "pack_import": PackImport.objects.filter(child=child).first(),
        "is_manager": is_manager,
        "links": links,
        "may_share": is_manager and ready_packs_of(child).exists(),
    }


# How far ahead the managers' list looks, and how long a completed plan stays on it and on the child's page.
RECENT_DAYS = 30


def plans_for_staff(user: User) -> QuerySet[TransitionPlan]:
    """Plans for children at the nurseries where the user works."""
    return TransitionPlan.objects.filter(child__nursery_id__in=staff_nursery_ids(user)).select_related(
        "child__nursery",
        "from_room",
        "to_room",
        "from_key_person__user",
        "to_key_person__user",
    )


def plans_for_family(user: User) -> QuerySet[TransitionPlan]:
    """Plans for the user's own children (while the family may still read their record), never cancelled ones."""
    return (
        TransitionPlan.objects.filter(child__in=children_of_guardian(user))
        .exclude(status=TransitionPlan.Status.CANCELLED)
        .select_related("child__nursery", "from_room", "to_room", "to_key_person__user")
    )


@dataclass(frozen=True)
class PlanAccess:
    """How the user stands to one plan: staff see everything, a family sees it in plain words."""

    plan: TransitionPlan
    is_staff: bool
    can_edit: bool
    can_manage: bool


def plan_access(user: User, pk: int) -> PlanAccess | None:
    """The user's standing to plan ``pk``, or None when they may not see it (the view answers 404)."""
    plan = plans_for_staff(user).filter(pk=pk).first()
    if plan is not None:
        manages = can_manage_child(user, plan.child)
        return PlanAccess(
            plan=plan, is_staff=True, can_edit=manages or is_plan_key_person(user, plan), can_manage=manages
        )
    plan = plans_for_family(user).filter(pk=pk).first()
    if plan is not None:
        return PlanAccess(plan=plan, is_staff=False, can_edit=False, can_manage=False)
    return None


def move_mail_prefix(plan_id: int) -> str:
    """The outbox keys of the family's e-mails about a move start so; each ends with the recipient's id."""
    return f"move:{plan_id}:"


def family_told_by_email(plan: TransitionPlan) -> bool:
    """Every e-mail to the family about the move has gone (read from the outbox, in one query)."""
    counts = OutgoingMail.objects.filter(key__startswith=move_mail_prefix(plan.pk)).aggregate(
        queued=Count("pk"), sent=Count("pk", filter=Q(status=OutgoingMail.Status.SENT))
    )
    return counts["queued"] > 0 and counts["sent"] == counts["queued"]


def is_plan_key_person(user: User, plan: TransitionPlan) -> bool:
    """The child's key person today, or the plan's current or new key person."""
    posts = [plan.from_key_person, plan.to_key_person, key_person_on(plan.child)]
    return any(post is not None and post.is_active and post.user_id == user.pk for post in posts)


def may_plan_for(user: User, child: Child) -> bool:
    """Managers, and the child's key person, start a plan."""
    if can_manage_child(user, child):
        return True
    post = key_person_on(child)
    return post is not None and post.is_active and post.user_id == user.pk


def open_plan_of(child: Child) -> TransitionPlan | None:
    return child.transition_plans.filter(status__in=TransitionPlan.OPEN_STATUSES).first()


def suggested_room(child: Child, on: date) -> Room | None:
    """The room whose age range fits the child on the move date, else the next room up from theirs."""
    rooms = Room.objects.filter(nursery_id=child.nursery_id).exclude(pk=child.room_id)
    months = child.age_in_months(on)
    fits = rooms.filter(min_age_months__lte=months, max_age_months__gte=months).first() if months is not None else None
    if fits is None and child.room is not None:
        return rooms.filter(min_age_months__gt=child.room.min_age_months).first()
    return fits


def visits_of(plan: TransitionPlan) -> list[TrialVisit]:
    return list(plan.trial_visits.select_related("accompanied_by__user"))


def handover_notes_of(plan: TransitionPlan) -> QuerySet[HandoverNote]:
    return plan.handover_notes.select_related("author")


def is_confident(visits: list[TrialVisit]) -> bool:
    """Confident when the latest visit that has happened went confidently."""
    done = [visit for visit in visits if visit.outcome]
    return bool(done) and done[-1].outcome == TrialVisit.Outcome.CONFIDENT


def plan_rows(user: User, nursery_id: int) -> list[TransitionPlan]:
    """The managers' list: open plans, and plans completed in the last month, each with its state, in one query."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return list(
        plans_for_staff(user)
        .filter(Q(status__in=TransitionPlan.OPEN_STATUSES) | Q(completed_at__gte=since), child__nursery_id=nursery_id)
        .annotate(
            visit_count=Count("trial_visits", distinct=True),
            visits_done=Count("trial_visits", filter=~Q(trial_visits__outcome=""), distinct=True),
            has_handover=Exists(HandoverNote.objects.filter(plan=OuterRef("pk"))),
        )
        .select_related("report")
        .order_by("planned_on", "pk")
    )


def unread_handovers_for(user: User) -> QuerySet[HandoverNote]:
    """Handover notes written to the user as a child's new key person that they have not read."""
    return HandoverNote.objects.filter(
        plan__to_key_person__user=user,
        plan__to_key_person__is_active=True,
        read_at__isnull=True,
        plan__status__in=TransitionPlan.OPEN_STATUSES,
    ).select_related("plan__child")


def report_of(plan: TransitionPlan) -> TransitionReport | None:
    return TransitionReport.objects.filter(plan=plan).select_related("written_by", "reviewed_by").first()


def child_panel(request: HttpRequest, child: Child) -> dict:
    """The transitions section of a child's page: the open plan, or one completed lately."""
    user = request.user
    plans = plans_for_staff(user) if works_at_childs_nursery(user, child) else plans_for_family(user)
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    plan = (
        plans.filter(child=child)
        .filter(Q(status__in=TransitionPlan.OPEN_STATUSES) | Q(completed_at__gte=since))
        .order_by("-pk")
        .first()
    )
    return {"plan": plan, "can_plan": plan is None and may_plan_for(user, child)}


def may_have_pack(user: User, child: Child) -> bool:
    """Who may ask for and download a child's leaver pack: the nursery's managers, the child's key person,
    and the child's own family with parental responsibility who may read the story (a relative with
    view-only access, such as a grandparent, does not get the reports and All about me)."""
    return (
        can_manage_child(user, child)
        or is_key_person(user, child)
        or Guardianship.objects.filter(
            user=user, child=child, can_view_story=True, has_parental_responsibility=True
        ).exists()
    )


def pack_child_for(user: User, pk: int) -> Child:
    """A child whose pack the user may have (raises DoesNotExist otherwise: the view answers 404)."""
    child = children_visible_to(user).get(pk=pk)
    if not may_have_pack(user, child):
        raise Child.DoesNotExist
    return child


def pack_for(user: User, pk: int) -> LeaverPack:
    """A pack the user may follow and download (raises DoesNotExist otherwise)."""
    pack = LeaverPack.objects.select_related("child__nursery").get(pk=pk)
    if not children_visible_to(user).filter(pk=pack.child_id).exists() or not may_have_pack(user, pack.child):
        raise LeaverPack.DoesNotExist
    return pack


def latest_pack(child: Child) -> LeaverPack | None:
    return child.leaver_packs.first()


def pack_panel(request, child: Child) -> dict:
    """The child page's leaver pack section, for those who may have the pack."""
    if not may_have_pack(request.user, child):
        return {"hidden": True}
    return {"child": child, "pack": latest_pack(child)}
