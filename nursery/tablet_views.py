"""Pages of a room's shared tablet: the manager's list (make this browser a tablet, revoke one, idle minutes),
the tablet's room page with "Who's using the tablet?", switching in with a PIN, and a member of staff's PIN."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import pins
from accounts.tablet import full_sign_in_required, is_pin_session

from . import tablets
from .models import TabletDevice
from .permissions import manager_required, staff_required
from .tablet_forms import IdleMinutesForm, PinForm, SwitchInForm, TabletForm


def _tablets_page(request, form=None, idle_form=None, status=200) -> HttpResponse:
    nursery = request.staff_post.nursery
    return render(
        request,
        "nursery/tablets.html",
        {
            "tablets": tablets.tablets_of(nursery),
            "form": form or TabletForm(nursery=nursery),
            "idle_form": idle_form or IdleMinutesForm(instance=nursery),
            "this_browser": getattr(request, "tablet", None),
        },
        status=status,
    )


@never_cache
@manager_required
def tablet_list(request: HttpRequest) -> HttpResponse:
    """The nursery's room tablets; making this browser one signs the manager out of it."""
    nursery = request.staff_post.nursery
    if request.method != "POST":
        return _tablets_page(request)
    form = TabletForm(request.POST, nursery=nursery)
    if not form.is_valid():
        return _tablets_page(request, form=form, status=400)
    data = form.cleaned_data
    if getattr(request, "tablet", None) is not None:  # its cookie is about to be replaced: the old one ends
        tablets.revoke_tablet(device=request.tablet, by=request.user)
    device, token = tablets.create_tablet(room=data["room"], name=data["name"], by=request.user)
    logout(request)  # the browser is the room's now: nobody is signed in on it until someone switches in
    messages.success(request, f"This browser is now “{device.name}”, the {device.room.name} tablet.")
    response = redirect("nursery:tablet")
    tablets.set_cookie(response, token)
    return response


@require_POST
@manager_required
def tablet_idle_minutes(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = IdleMinutesForm(request.POST, instance=nursery)
    if not form.is_valid():
        return _tablets_page(request, idle_form=form, status=400)
    tablets.set_idle_minutes(nursery=nursery, minutes=form.cleaned_data["tablet_idle_minutes"])
    messages.success(request, f"Room tablets now lock after {nursery.tablet_idle_minutes} minutes unused.")
    return redirect("nursery:tablets")


@require_POST
@manager_required
def revoke_tablet(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(TabletDevice, pk=pk, nursery=request.staff_post.nursery, revoked_at__isnull=True)
    tablets.revoke_tablet(device=device, by=request.user)
    messages.success(request, f"“{device.name}” is no longer a room tablet; whoever used it is signed out.")
    return redirect("nursery:tablets")


def _this_tablet(request: HttpRequest) -> TabletDevice:
    device = getattr(request, "tablet", None)
    if device is None:
        raise Http404("This browser is not a room's tablet.")
    return device


@never_cache
def tablet_room(request: HttpRequest) -> HttpResponse:
    """What the room's tablet shows while nobody is switched in: the room's children and who may switch in."""
    device = _this_tablet(request)
    people = list(tablets.tablet_people(device))
    return render(
        request,
        "nursery/tablet_room.html",
        {
            "device": device,
            "children": tablets.room_children(device.room),
            "room_people": [post for post in people if not post.elsewhere],
            "other_people": [post for post in people if post.elsewhere],
            "switched_in": is_pin_session(request),
        },
    )


@never_cache
@sensitive_post_parameters("pin")
def tablet_switch_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Type your PIN: the session becomes yours on this tablet."""
    device = _this_tablet(request)
    post = tablets.access_tablet_person(device, pk)
    if post is None:
        raise Http404("Nobody of that name may use this tablet.")
    form = SwitchInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = tablets.switch_in(request, device=device, post=post, pin=form.cleaned_data["pin"])
        if result.ok:
            messages.success(request, f"Hello {post.user.get_short_name()}. Lock the tablet when you finish.")
            return redirect("home")
        form.add_error("pin", result.message)
    # A wrong PIN is an everyday slip on a shared tablet: the page says so (200), as the code step does.
    return render(request, "nursery/tablet_switch_in.html", {"device": device, "post": post, "form": form})


@never_cache
@sensitive_post_parameters("pin", "pin_again")
@staff_required()
@full_sign_in_required
def my_pin(request: HttpRequest) -> HttpResponse:
    """Set or change your tablet PIN (only after a full sign-in)."""
    form = PinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pins.set_pin(user=request.user, pin=form.cleaned_data["pin"])
        messages.success(request, "Your tablet PIN is saved. Use it to switch in on a room's tablet.")
        return redirect("nursery:my_pin")
    return render(
        request,
        "nursery/my_pin.html",
        {"form": form, "has_pin": pins.has_pin(request.user)},
        status=400 if form.errors else 200,
    )
