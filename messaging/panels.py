"""The messages section of a child's page: a link to the conversation, with what is unread, for the people in it."""

from django.http import HttpRequest

from children.models import Child
from keyworker.selectors import may_read_confidential_notes

from .models import Message
from .selectors import family_children, unread_in


def messages_panel(request: HttpRequest, child: Child) -> dict:
    user = request.user
    as_family = family_children(user).filter(pk=child.pk).exists()
    if not as_family and not may_read_confidential_notes(user, child):
        return {"visible": False}
    unread = unread_in(Message.objects.filter(conversation__child=child, from_family=not as_family), user).count()
    return {"visible": True, "unread": unread, "as_family": as_family}
