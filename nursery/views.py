from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.views import invitation_action, report_dispatch

from . import selectors, services
from .forms import StaffInvitationForm
from .permissions import manager_required


@manager_required
def staff_list(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    return render(
        request,
        "nursery/staff_list.html",
        {
            "nursery": nursery,
            "staff": selectors.staff_visible_to(request.user).filter(nursery=nursery),
            "pending": selectors.pending_staff_invitations(request.user).filter(nursery=nursery),
        },
    )


@manager_required
def invite_staff(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = StaffInvitationForm(request.POST or None, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        invited = services.invite_staff(nursery=nursery, invited_by=request.user, **form.cleaned_data)
        report_dispatch(
            request, invited.dispatch, f"Invitation for {invited.invitation.email} saved and on its way by e-mail."
        )
        return redirect("nursery:staff")
    return render(request, "nursery/invite_staff.html", {"form": form, "nursery": nursery})


@require_POST
@manager_required
def staff_invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    grant = get_object_or_404(selectors.pending_staff_invitations(request.user), pk=pk)
    invitation_action(request, grant.invitation, action)
    return redirect("nursery:staff")


@manager_required
def room_list(request: HttpRequest) -> HttpResponse:
    rooms = selectors.rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery)
    return render(request, "nursery/room_list.html", {"rooms": rooms})
