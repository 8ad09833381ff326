"""Writes for sharing a child's summary with other carers: a carer added, the family's answer (in their
account, or a paper form the key person records), links made and revoked, each view and note recorded."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from children.models import Child, ChildAuditEvent, ConsentPurpose
from children.selectors import has_consent
from children.services import record_consent, record_event

from ..links import link_expiry
from .models import CarerLinkView, CarerNote, CarerShareLink, OtherCarer

Action = ChildAuditEvent.Action
LINK_DAYS = 30
LINK_MAX_DAYS = 90
NOTES_PER_DAY = 5  # a carer sends a note now and then; more than this from one link is someone misusing it


def add_carer(*, child: Child, name: str, role: str, organisation: str, email: str, by: User) -> OtherCarer:
    """A carer the family is asked about: nothing is shared until they agree."""
    carer = OtherCarer.objects.create(
        child=child,
        name=name.strip(),
        role=role,
        organisation=organisation.strip(),
        email=email.strip(),
        added_by=by,
    )
    record_event(child=child, actor=by, action=Action.CHANGED, what=f"Other carer added: {carer.name}")
    return carer


def _general_consent(carer: OtherCarer, by: User, note: str) -> None:
    """Agreeing to one carer is agreeing to sharing with other carers: record it in the consent history
    unless it stands already."""
    if not has_consent(carer.child, ConsentPurpose.SHARE_WITH_OTHER_CARERS):
        purpose = ConsentPurpose.objects.get(nursery=None, code=ConsentPurpose.SHARE_WITH_OTHER_CARERS)
        record_consent(child=carer.child, purpose=purpose, granted=True, by=by, note=note[:200])


@transaction.atomic
def decide(*, carer: OtherCarer, agreed: bool, by: User) -> OtherCarer:
    """The family's answer in their account. Saying no (also later) stops every link to this carer."""
    carer.consent = OtherCarer.Consent.AGREED if agreed else OtherCarer.Consent.DECLINED
    carer.consent_by = by
    carer.consent_at = timezone.now()
    carer.consent_on_paper = None
    carer.save(update_fields=["consent", "consent_by", "consent_at", "consent_on_paper"])
    if agreed:
        _general_consent(carer, by, f"For {carer.name}")
    else:
        carer.links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    verb = "agreed to" if agreed else "said no to"
    record_event(child=carer.child, actor=by, action=Action.CHANGED, what=f"Family {verb} sharing with {carer.name}")
    return carer


@transaction.atomic
def record_paper_consent(*, carer: OtherCarer, signed_on: date, by: User) -> OtherCarer:
    """The family agreed on a signed paper form; the key person records it with the form's date."""
    carer.consent = OtherCarer.Consent.AGREED
    carer.consent_by = by
    carer.consent_at = timezone.now()
    carer.consent_on_paper = signed_on
    carer.save(update_fields=["consent", "consent_by", "consent_at", "consent_on_paper"])
    _general_consent(carer, by, f"For {carer.name}, on a form signed {signed_on:%d %b %Y}")
    record_event(
        child=carer.child,
        actor=by,
        action=Action.CHANGED,
        what=f"Family's paper consent to sharing with {carer.name} recorded",
    )
    return carer


def link_problem(carer: OtherCarer) -> str:
    """Why no link can be made for this carer now ("" when it can)."""
    child = carer.child
    if not carer.agreed:
        return f"{child.known_as}'s family has not agreed to sharing with {carer.name} yet."
    if not has_consent(child, ConsentPurpose.SHARE_WITH_OTHER_CARERS):
        return f"{child.known_as}'s family has withdrawn their consent to sharing with other carers."
    return ""


@transaction.atomic
def create_carer_link(*, carer: OtherCarer, by: User, days: int | None = None) -> CarerShareLink:
    if problem := link_problem(carer):
        raise ValidationError(problem)
    link = CarerShareLink.objects.create(
        carer=carer, created_by=by, expires_at=link_expiry(days, default=LINK_DAYS, maximum=LINK_MAX_DAYS)
    )
    record_event(child=carer.child, actor=by, action=Action.SHARED, what=f"Summary link for {carer.name}")
    return link


def revoke_carer_link(*, link: CarerShareLink, by: User) -> None:
    """The link stops working at once."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        record_event(
            child=link.carer.child, actor=by, action=Action.CHANGED, what=f"Link for {link.carer.name} revoked"
        )


def record_carer_view(*, link: CarerShareLink, ip_address: str | None, user_agent: str) -> CarerLinkView:
    """Each time the carer opened the summary: on the link (for the key person and family) and in the record."""
    view = CarerLinkView.objects.create(link=link, ip_address=ip_address, user_agent=user_agent[:300])
    record_event(child=link.carer.child, actor=None, action=Action.VIEWED, what=f"Summary opened by {link.carer.name}")
    return view


def send_carer_note(*, link: CarerShareLink, text: str) -> CarerNote:
    """What the carer is working on, for the key person and the family; a few a day per link at most."""
    text = text.strip()
    if not text:
        raise ValidationError("Write a note first.")
    if len(text) > CarerNote.MAX_LENGTH:
        raise ValidationError(f"Please keep the note to {CarerNote.MAX_LENGTH} characters.")
    since = timezone.now() - timedelta(days=1)
    if link.notes.filter(at__gte=since).count() >= NOTES_PER_DAY:
        raise ValidationError("You have sent several notes today already. Please try again tomorrow.")
    note = CarerNote.objects.create(link=link, text=text)
    record_event(child=link.carer.child, actor=None, action=Action.CHANGED, what=f"Note from {link.carer.name}")
    return note
