"""Writes for medicines: a parent asks and gives permission, staff record each dose with a witness, and the
parent reads it the same day."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from children.day.models import clock
from children.day.selectors import present_at
from children.models import Child, ChildAuditEvent
from children.notices import news_recipients, news_unsubscribe_url
from children.selectors import children_in_staff_care, holds_parental_responsibility
from children.services import record_event
from core.outbox import queue_mail

from .models import MedicineDose, MedicineRequest, parse_times
from .selectors import witnesses_for

Action = ChildAuditEvent.Action

# A tablet's clock may run a little ahead of the server's (as for the care log).
CLOCK_SLACK = timedelta(minutes=2)
# How far ahead a family may ask; a long-term medicine (a health care plan) is asked again each year.
LONGEST = timedelta(days=31)
LONGEST_LONG_TERM = timedelta(days=366)
# EYFS 3.45: medicines containing aspirin only when prescribed by a doctor.
ASPIRIN = ("aspirin", "acetylsalicylic")
# A dose more than this far from every agreed time is given "at another time" and needs a reason.
TIME_LEEWAY = timedelta(hours=1)


def _same_amount(given: str, agreed: str) -> bool:
    """ "5ml" and "5 ML" are the same dose; "10 ml" is not."""
    return "".join(given.lower().split()) == "".join(agreed.lower().split())


def departures_from_agreement(*, request: MedicineRequest, given_at: datetime, dose_given: str) -> list[str]:
    """How a dose differs from what the family agreed (amount, time, number of doses today): each is a
    warning, and the dose is saved only with a reason."""
    found = []
    if dose_given.strip() and not _same_amount(dose_given, request.dose):
        found.append(f"The dose given ({dose_given.strip()}) is not the dose agreed ({request.dose}).")
    agreed_times = parse_times(request.times)
    if agreed_times:
        local = timezone.localtime(given_at)
        day = local.date()
        near = [
            abs(local - timezone.make_aware(datetime.combine(day, moment))) <= TIME_LEEWAY for moment in agreed_times
        ]
        if not any(near):
            found.append(f"{clock(given_at)} is not within an hour of the agreed times ({request.times}).")
        given_today = request.doses.filter(day=day).count()
        if given_today >= len(agreed_times):
            found.append(
                f"{given_today} dose{'s' if given_today != 1 else ''} already given today; "
                f"the family agreed {len(agreed_times)} a day."
            )
    return found


def _check_request(request: MedicineRequest) -> None:
    today = timezone.localdate()
    if request.ends_on < request.starts_on:
        raise ValidationError("The last day cannot be before the first day.")
    if request.ends_on < today:
        raise ValidationError("The last day has already passed. Choose today or a day ahead.")
    longest = LONGEST_LONG_TERM if request.long_term else LONGEST
    if request.ends_on - request.starts_on > longest:
        raise ValidationError(
            f"Permission can cover up to {longest.days} days"
            + ("." if request.long_term else " (a year for long-term medication with a health care plan).")
        )
    if not request.times.strip() and not request.reason.strip():
        raise ValidationError("Say when to give it: the times, or in what it is for when it is only when needed.")
    if request.prescribed:
        if not request.prescribed_by.strip():
            raise ValidationError("Say who prescribed it: the doctor, dentist, nurse or pharmacist.")
        return
    if any(word in request.medicine.lower() for word in ASPIRIN):
        raise ValidationError("The nursery can only give a medicine containing aspirin if a doctor prescribed it.")
    if not request.had_before:
        raise ValidationError(
            "The nursery gives a medicine that was not prescribed only if your child has had it before with no "
            "reaction. Please give the first dose at home."
        )
    if request.last_given_at is None:
        raise ValidationError("Say when your child last had it, so staff do not give it too soon.")


@transaction.atomic
def request_medicine(*, request: MedicineRequest, by: User, plan: ContentFile | None = None) -> MedicineRequest:
    """Save the family's request; their account's confirmation is the written permission (who and when)."""
    if not holds_parental_responsibility(by, request.child):
        raise ValidationError("Only a parent or carer with parental responsibility can give permission.")
    _check_request(request)
    request.consented_by, request.consented_at = by, timezone.now()
    if not request.prescribed:
        request.prescribed_by = ""
    else:
        request.had_before, request.last_given_at = False, None
    if plan is not None:
        request.plan.save(plan.name, plan, save=False)  # the name only gives the extension
    request.save()
    record_event(child=request.child, actor=by, action=Action.CREATED, what=f"Permission to give {request.medicine}")
    return request


@transaction.atomic
def withdraw_medicine(*, request: MedicineRequest, by: User) -> MedicineRequest:
    """Stop giving a medicine: the family withdraws permission, or staff close it when it is no longer needed."""
    request = MedicineRequest.objects.select_for_update().get(pk=request.pk)
    if request.withdrawn_at is None:
        request.withdrawn_at, request.withdrawn_by = timezone.now(), by
        request.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record_event(child=request.child, actor=by, action=Action.CHANGED, what=f"Stopped giving {request.medicine}")
    return request


@transaction.atomic
def record_dose(
    *,
    request: MedicineRequest,
    by: User,
    given_at: datetime,
    dose_given: str,
    witness: User,
    note: str = "",
    reason: str = "",
) -> MedicineDose:
    """Record a dose given by ``by`` and seen by ``witness``; refused without the family's permission that day,
    and without a ``reason`` when it differs from what the family agreed."""
    child: Child = request.child
    if not children_in_staff_care(by).filter(pk=child.pk).exists():
        raise ValidationError("Only staff of the child's nursery can record a medicine.")
    now = timezone.now()
    if given_at > now + CLOCK_SLACK:
        raise ValidationError(f"The time cannot be in the future: it is {clock(now)} now.")
    day = timezone.localdate(given_at)
    request = MedicineRequest.objects.select_for_update().get(pk=request.pk)
    if not request.covers(day):
        if request.withdrawn_at is not None and timezone.localdate(request.withdrawn_at) <= day:
            why = "the family withdrew permission"
        else:
            why = f"permission covers {request.starts_on:%-d %b} to {request.ends_on:%-d %b} only"
        raise ValidationError(f"No permission to give {request.medicine} on {day:%-d %b %Y}: {why}. Nothing was saved.")
    if not dose_given.strip():
        raise ValidationError("Write the dose given, e.g. 5 ml.")
    if witness is None or witness.pk == by.pk:
        raise ValidationError("Another member of staff must witness the dose: choose who saw it given.")
    if not witnesses_for(child, giver=by).filter(pk=witness.pk).exists():
        raise ValidationError("The witness must be a member of staff at this nursery.")
    if not present_at(Child.objects.filter(pk=child.pk), given_at).exists():
        raise ValidationError(f"{child.known_as} was not signed in at {clock(given_at)}. Nothing was saved.")
    departures = departures_from_agreement(request=request, given_at=given_at, dose_given=dose_given)
    if departures and not reason.strip():
        raise ValidationError([*departures, "Check with your witness, then write the reason to save it anyway."])
    dose = MedicineDose.objects.create(
        request=request,
        child=child,
        day=day,
        given_at=given_at,
        dose_given=dose_given.strip(),
        given_by=by,
        witness=witness,
        note=note.strip(),
        outside_agreement=" ".join([*departures, f"Reason: {reason.strip()}"]) if departures else "",
    )
    record_event(
        child=child,
        actor=by,
        action=Action.CREATED,
        what=f"Medicine given: {request.medicine} {dose.dose_given} at {clock(given_at)}",
    )
    _tell_the_family(dose)
    return dose


def _tell_the_family(dose: MedicineDose) -> None:
    """E-mail the parents that a dose was given, asking them to read it today. What was given stays behind
    the sign-in: health details do not travel by e-mail."""
    link = f"{settings.SITE_URL}{reverse('home')}"
    for guardian in news_recipients(dose.child, has_parental_responsibility=True):
        queue_mail(
            key=f"medicine-dose:{dose.pk}:{guardian.user_id}",
            kind="Medicine given",
            to=guardian.user,
            template="children/email/medicine_given",
            context={"recipient": guardian.user, "child": dose.child, "given_at": clock(dose.given_at), "link": link},
            nursery_id=dose.child.nursery_id,
            unsubscribe_url=news_unsubscribe_url(guardian),
        )


@transaction.atomic
def acknowledge_dose(*, dose: MedicineDose, by: User) -> MedicineDose:
    """A parent has read the record of a dose. The first acknowledgement stands."""
    dose = MedicineDose.objects.select_for_update().select_related("child", "request").get(pk=dose.pk)
    if dose.acknowledged_at is None:
        dose.acknowledged_at, dose.acknowledged_by = timezone.now(), by
        dose.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_event(
            child=dose.child, actor=by, action=Action.CHANGED, what=f"Parent read the {dose.request.medicine} record"
        )
    return dose
