"""The family's collection page (who may collect, the collection password, one-off collectors) and the child
page's panel that shows staff the list.

Who may open what is decided by ``selectors.access_child_for_collection`` and the ``access_*`` fetches.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from children.models import Child
from children.selectors import works_at_childs_nursery

from . import selectors, services
from .forms import AuthorisedCollectorForm, CollectionPasswordForm, OneOffCollectorForm
from .models import AuthorisedCollector


def collection_panel(request: HttpRequest, child: Child) -> dict:
    """The child page's "Who may collect": the list for staff, a link to the arrangements for the family."""
    is_staff = works_at_childs_nursery(request.user, child)
    arranges = not child.has_left() and selectors.may_arrange_collection(request.user, child)
    if not (is_staff or arranges):
        return {"visible": False}
    today = timezone.localdate()
    return {
        "visible": True,
        "is_staff": is_staff,
        "arranges": arranges,
        "collectors": selectors.collectors_for(child, today) if is_staff else [],
        "has_password": selectors.collection_password_of(child) is not None,
    }


def _save(request: HttpRequest, child: Child, action: str, form: Form) -> str:
    """Apply one of the page's forms; the message to show, or "" with the reason added to the form."""
    data = form.cleaned_data
    try:
        if action == "password":
            services.set_collection_password(child=child, password=data["password"], by=request.user)
            return "Collection password saved. Tell it only to people you send to collect."
        if action == "add":
            form.instance.child = child
            person = services.add_authorised_collector(collector=form.instance, by=request.user)
            return f"{person.name} may now collect {child.known_as}."
        one_off = services.name_one_off_collector(child=child, by=request.user, **data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return ""
    day = "today" if one_off.day == timezone.localdate() else f"on {one_off.day:%A %-d %B}"
    return (
        f"The nursery will expect {one_off.name} to collect {child.known_as} {day}. "
        "Give them the collection password: staff will ask for it."
    )


@sensitive_post_parameters("password-password", "password-password_again")  # never in an error report
@login_required
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's page: who may collect, the password, and a one-off collector for a day."""
    child = selectors.access_child_for_collection(request.user, pk)
    action = request.POST.get("action", "")
    forms = {
        "password": CollectionPasswordForm(request.POST if action == "password" else None, prefix="password"),
        "add": AuthorisedCollectorForm(
            request.POST if action == "add" else None, prefix="add", instance=AuthorisedCollector(child=child)
        ),
        "one_off": OneOffCollectorForm(request.POST if action == "one_off" else None, prefix="one_off"),
    }
    valid = request.method == "POST" and action in forms and forms[action].is_valid()
    if valid and (done := _save(request, child, action, forms[action])):
        messages.success(request, done)
        return redirect("children:collection", pk=child.pk)
    today = timezone.localdate()
    collectors = selectors.collectors_for(child, today)
    context = {
        "child": child,
        "forms": forms,
        "family": [person for person in collectors if person.key.startswith(("guardian:", "contact:"))],
        "named": selectors.authorised_collectors_of(child),
        "one_offs": selectors.one_off_collectors_from(child, today),
        "has_password": selectors.collection_password_of(child) is not None,
        "today": today,
    }
    return render(request, "children/collection.html", context)


@require_POST
@login_required
def remove_collector(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_authorised_collector(request.user, pk)
    services.remove_authorised_collector(collector=person, by=request.user)
    messages.success(request, f"{person.name} is no longer on the list of people who may collect.")
    return redirect("children:collection", pk=person.child_id)


@require_POST
@login_required
def cancel_one_off(request: HttpRequest, pk: int) -> HttpResponse:
    one_off = selectors.access_one_off_collector(request.user, pk)
    services.cancel_one_off_collector(one_off=one_off, by=request.user)
    messages.success(request, f"Cancelled: {one_off.name} will not be collecting on {one_off.day:%A %-d %B}.")
    return redirect("children:collection", pk=one_off.child_id)
