"""What every page needs to draw its navigation: the person's roles, and the demo accounts."""

from django.conf import settings
from django.http import HttpRequest

from children.selectors import is_guardian
from demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD
from nursery.selectors import staff_roles


def keystory(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        roles = staff_roles(user)
        if is_guardian(user):
            roles.add("parent")
    context = {"roles": roles, "demo_mode": settings.DEMO_MODE}
    if settings.DEMO_MODE:
        context.update(demo_accounts=DEMO_ACCOUNTS, demo_password=DEMO_PASSWORD)
    return context
