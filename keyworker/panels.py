"""Child-page panels the key person system adds (registered in ``KeyworkerConfig.ready``)."""

from django.http import HttpRequest

from children.models import Child, ChildAuditEvent
from children.selectors import confidential_notes_of, works_at_childs_nursery
from children.services import record_event

from .selectors import assignment_history, child_panel, may_read_confidential_notes

NOTES_ON_CHILD_PAGE = 3


def confidential_notes_panel(request: HttpRequest, child: Child) -> dict:
    """The newest confidential notes, for those who may read them; nothing at all for anyone else."""
    if not may_read_confidential_notes(request.user, child):
        return {"visible": False}
    notes = list(confidential_notes_of(child)[: NOTES_ON_CHILD_PAGE + 1])
    if notes:
        record_event(
            child=child,
            actor=request.user,
            action=ChildAuditEvent.Action.VIEWED,
            what="Child's page: confidential notes",
        )
    return {"visible": True, "notes": notes[:NOTES_ON_CHILD_PAGE], "more": len(notes) > NOTES_ON_CHILD_PAGE}


def key_person_panel(request: HttpRequest, child: Child) -> dict:
    """The key person section: key person and buddy today, sessions, and for staff (a key person too, not only
    the managers who change it) the history of who held the role, from when and why. Families see no history."""
    panel = child_panel(request, child)
    panel["history"] = assignment_history(child) if works_at_childs_nursery(request.user, child) else None
    return panel
