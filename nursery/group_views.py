"""A nursery group's own pages (its owners only: another group's answer 404), and the account menu's switch
between the nurseries a person is linked to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.selectors import pending_invitation_rows
from accounts.tablet import full_sign_in_required
from accounts.views import invitation_action, report_dispatch

from . import services
from .current import choose, linked_nurseries
from .groups import (
    AddNurseryForm,
    InviteOwnerForm,
    RenameGroupForm,
    access_group,
    access_owner_invitation,
    group_nurseries,
    pending_owner_invitations,
)


@login_required
@full_sign_in_required
def group_nurseries_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's nurseries, their managers and first managers still to accept their invitation; the owners
    rename the group here."""
    group = access_group(request.user, pk)
    form = RenameGroupForm(request.POST or None, initial={"name": group.name})
    if request.method == "POST" and form.is_valid():
        services.rename_group(group=group, name=form.cleaned_data["name"])
        messages.success(request, f"The group is now called {group.name}.")
        return redirect("nursery:group", pk=group.pk)
    return render(
        request,
        "nursery/group_nurseries.html",
        {"group": group, "page_group": group, "nurseries": group_nurseries(group), "rename_form": form},
    )


@login_required
@full_sign_in_required
def add_nursery(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a nursery in the group and invite its first manager, who sets it up from the e-mailed link."""
    group = access_group(request.user, pk)
    form = AddNurseryForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        started = services.start_nursery(
            name=form.cleaned_data["name"],
            manager_email=form.cleaned_data["manager_email"],
            manager_name=form.cleaned_data["manager_name"],
            group=group,
            by=request.user,
        )
        report_dispatch(
            request,
            started.invited.dispatch,
            f"{started.nursery.name} is added. The invitation for {started.invited.invitation.email} is on its "
            "way by e-mail: they set a password and then set the nursery up.",
        )
        return redirect("nursery:group", pk=group.pk)
    return render(request, "nursery/group_add_nursery.html", {"group": group, "page_group": group, "form": form})


@login_required
@full_sign_in_required
def group_owners(request: HttpRequest, pk: int) -> HttpResponse:
    """Who owns the group, invitations waiting for a reply, and a form to invite another owner."""
    group = access_group(request.user, pk)
    form = InviteOwnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.invite_group_owner(group=group, invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            report_dispatch(
                request, invited.dispatch, f"Invitation for {invited.invitation.email} saved and on its way by e-mail."
            )
            return redirect("nursery:group_owners", pk=group.pk)
    pending = pending_owner_invitations(request.user).filter(group=group)
    return render(
        request,
        "nursery/group_owners.html",
        {
            "group": group,
            "page_group": group,
            "owners": group.owners.order_by("full_name"),
            "pending": pending_invitation_rows(pending),
            "form": form,
        },
    )


@require_POST
@login_required
@full_sign_in_required
def owner_invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    grant = access_owner_invitation(request.user, pk)
    invitation_action(request, grant.invitation, action, nursery_id=None)
    return redirect("nursery:group_owners", pk=grant.group_id)


@require_POST
@login_required
@full_sign_in_required  # a PIN session stays at the tablet's nursery
def switch_nursery(request: HttpRequest) -> HttpResponse:
    """Make another of the person's nurseries the one their pages are about."""
    wanted = request.POST.get("nursery", "")
    nursery = next((n for n in linked_nurseries(request.user) if str(n.pk) == wanted), None)
    if nursery is None:
        raise Http404("No such nursery.")
    choose(request, nursery.pk)
    messages.info(request, f"You are now looking at {nursery.name}.")
    return redirect("home")  # the person's usual first page, now about that nursery
