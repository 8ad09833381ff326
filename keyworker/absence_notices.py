"""Tells the key person by e-mail (through the outbox) that a family reported their key child off.

The children app sends ``absence_reported`` inside its transaction; only this app knows who the key
person is. The e-mail says who, when and the kind of reason, never the symptoms: health details stay in
KeyStory, where only the nursery's staff read them (My key children, the register).
"""

from django.conf import settings

from children.absences.models import Absence
from core.outbox import queue_mail

from .selectors import key_person_on


def tell_key_person(sender: type, *, absence: Absence, created: bool, **kwargs) -> None:
    key_person = key_person_on(absence.child, absence.first_day) or key_person_on(absence.child)
    if key_person is None or not key_person.user.is_active or key_person.user_id == absence.recorded_by_id:
        return  # no one to tell, or they took the call themselves
    version = "new" if created else f"changed:{absence.updated_at.isoformat()}"
    queue_mail(
        key=f"absence:{absence.pk}:{version}:{key_person.user_id}",
        kind="Child reported off",
        to=key_person.user,
        template="keyworker/email/absence",
        context={"absence": absence, "child": absence.child, "created": created, "site_url": settings.SITE_URL},
        nursery_id=absence.child.nursery_id,
    )
