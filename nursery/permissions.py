"""The one place that decides whether a signed-in person may open a staff page.

Objects are then fetched through selectors scoped to the user, so another nursery's or another
family's records answer 404 whatever the page.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .current import current_post
from .models import StaffMember

View = Callable[..., HttpResponse]


def staff_required(*roles: str) -> Callable[[View], View]:
    """Require an active post with one of ``roles`` (any staff role when none given).

    The post is put on ``request.staff_post`` for the view: the one at the nursery chosen from the account
    menu when it has one of ``roles`` (see ``nursery.current``).
    """
    wanted = roles or tuple(StaffMember.Role.values)

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            post = current_post(request, wanted)
            if post is None:
                raise PermissionDenied("This page is for nursery staff.")
            request.staff_post = post
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


manager_required = staff_required(*StaffMember.MANAGING_ROLES)
