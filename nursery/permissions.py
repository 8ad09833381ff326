"""The one place that decides whether a signed-in person may open a staff page.

Objects are then fetched through selectors scoped to the user, so another nursery's or another
family's records answer 404 whatever the page.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.tablet import full_sign_in_required

from .current import current_post
from .models import StaffMember

View = Callable[..., HttpResponse]


def staff_required(*roles: str) -> Callable[[View], View]:
    """Require an active post with one of ``roles`` (any staff role when none given).

    A page only managers may open also needs a full sign-in (``accounts.tablet.full_sign_in_required``): a
    PIN session on a room's tablet is told so.

    The post is put on ``request.staff_post`` for the view: the one at the nursery chosen from the account
    menu when it has one of ``roles`` (see ``nursery.current``).
    """
    wanted = roles or tuple(StaffMember.Role.values)
    managers_only = set(wanted) <= set(StaffMember.MANAGING_ROLES)

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            post = current_post(request, wanted)
            if post is None:
                raise PermissionDenied("This page is for nursery staff.")
            request.staff_post = post
            return view(request, *args, **kwargs)

        # A manager's page needs a full sign-in: a PIN session on a room's tablet is shown why instead.
        return full_sign_in_required(wrapper) if managers_only else wrapper

    return decorator


manager_required = staff_required(*StaffMember.MANAGING_ROLES)
