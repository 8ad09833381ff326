"""Manager pages for the nursery's staff, rooms, sessions and absences, and staff photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.selectors import pending_invitation_rows
from accounts.views import invitation_action, report_dispatch
from core import outbox
from core.images import PhotoForm
from core.models import OutgoingMail
from core.private_media import photo_response

from . import selectors, services
from .forms import (
    NurserySessionForm,
    StaffAbsenceForm,
    StaffInvitationForm,
    StaffPostForm,
    WeekPatternForm,
    role_rights,
)
from .models import StaffMember
from .permissions import manager_required, staff_required


@manager_required
def staff_list(request: HttpRequest) -> HttpResponse:
    """Staff in post with their roles, responsibilities and dates; those who have left, kept below."""
    nursery = request.staff_post.nursery
    staff = selectors.staff_visible_to(request.user).filter(nursery=nursery)
    return render(
        request,
        "nursery/staff_list.html",
        {
            "nursery": nursery,
            "staff": staff.in_post(),
            "leavers": staff.exclude(pk__in=staff.in_post().values("pk")).order_by("-leaves_on", "user__full_name"),
            "pending": pending_invitation_rows(
                selectors.pending_staff_invitations(request.user).filter(nursery=nursery)
            ),
        },
    )


@manager_required
def invite_staff(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = StaffInvitationForm(request.POST or None, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.invite_staff(nursery=nursery, invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            report_dispatch(
                request, invited.dispatch, f"Invitation for {invited.invitation.email} saved and on its way by e-mail."
            )
            return redirect("nursery:staff")
    return render(request, "nursery/invite_staff.html", {"form": form, "nursery": nursery, "roles": role_rights()})


@manager_required
def edit_staff(request: HttpRequest, pk: int) -> HttpResponse:
    """A member of staff's post: role (with what each may do), responsibilities, qualification, room, dates."""
    nursery = request.staff_post.nursery
    member = selectors.access_staff_member(request.user, pk, nursery_id=nursery.pk)
    name = member.user.full_name
    form = StaffPostForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_staff_post(member=member, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{name}'s post saved.")
            return redirect("nursery:staff")
    return render(
        request,
        "nursery/edit_staff.html",
        {
            "form": form,
            "member": member,
            "name": name,
            "nursery": nursery,
            "roles": role_rights(),
            "two_factor": selectors.two_factor_state(member),
            "reset_refusal": services.two_factor_reset_refusal(member=member, by=request.staff_post),
        },
    )


@require_POST
@manager_required
def reset_staff_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """Reset a colleague's two-step sign-in, e.g. when they have lost their phone and recovery codes."""
    member = selectors.access_staff_member(request.user, pk, nursery_id=request.staff_post.nursery_id)
    try:
        services.reset_two_factor(member=member, by=request.staff_post)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, f"{member.user}'s two-step sign-in is reset. They set it up again next time they sign in."
        )
    return redirect("nursery:edit_staff", pk=member.pk)


@require_POST
@manager_required
def staff_invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    grant = selectors.access_staff_invitation(request.user, pk)
    invitation_action(request, grant.invitation, action, nursery_id=grant.nursery_id)
    return redirect("nursery:staff")


@manager_required
def undelivered_mail(request: HttpRequest) -> HttpResponse:
    """Every kind of e-mail notice that failed, for the manager to see and try again once fixed."""
    mails = outbox.undelivered_mail(selectors.managed_nursery_ids(request.user))[:200]
    return render(request, "nursery/undelivered_mail.html", {"mails": mails, "max_attempts": OutgoingMail.MAX_ATTEMPTS})


@require_POST
@manager_required
def retry_mail(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(outbox.undelivered_mail(selectors.managed_nursery_ids(request.user)), pk=pk)
    report_dispatch(request, outbox.try_again(mail=mail), f"Trying again to e-mail {mail.to}.")
    return redirect("nursery:undelivered_mail")


@manager_required
def session_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The nursery's session times; the same page adds one or, with ``pk``, changes one."""
    nursery = request.staff_post.nursery
    instance = selectors.access_session(request.user, pk, nursery_id=nursery.pk) if pk else None
    form = NurserySessionForm(request.POST or None, instance=instance, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        messages.success(request, f"{session.name} saved.")
        return redirect("nursery:sessions")
    return render(
        request,
        "nursery/session_list.html",
        {"sessions": nursery.sessions.all(), "form": form, "editing": instance},
    )


@manager_required
def working_pattern(request: HttpRequest, pk: int) -> HttpResponse:
    nursery = request.staff_post.nursery
    member = selectors.access_staff_member(request.user, pk, nursery_id=nursery.pk)
    form = WeekPatternForm(
        request.POST or None,
        sessions=list(nursery.sessions.all()),
        chosen=set(member.working_pattern.values_list("weekday", "session_id")),
    )
    if request.method == "POST" and form.is_valid():
        services.set_working_pattern(staff=member, slots=form.cleaned_data["slots"])
        messages.success(request, f"{member.user.full_name}'s working week saved.")
        return redirect("nursery:staff")
    return render(request, "nursery/working_pattern.html", {"member": member, "form": form})


@manager_required
def absence_list(request: HttpRequest) -> HttpResponse:
    """Staff away now and later, and a form to record another absence."""
    nursery = request.staff_post.nursery
    form = StaffAbsenceForm(request.POST or None, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        absence = services.record_absence(by=request.user, **form.cleaned_data)
        messages.success(request, f"{absence.staff.user.full_name}'s absence saved.")
        return redirect("nursery:absences")
    return render(
        request,
        "nursery/absence_list.html",
        {"form": form, "absences": selectors.absences_from(nursery, timezone.localdate())},
    )


@require_POST
@manager_required
def delete_absence(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.access_absence(request.user, pk, nursery_id=request.staff_post.nursery_id)
    absence.delete()
    messages.success(request, f"{absence.staff.user.full_name}'s absence removed.")
    return redirect("nursery:absences")


@staff_required()
def my_photo(request: HttpRequest) -> HttpResponse:
    return redirect("nursery:change_staff_photo", pk=request.staff_post.pk)


def _after_photo(request: HttpRequest, member: StaffMember) -> HttpResponse:
    if member.user_id == request.user.pk:
        return redirect("nursery:change_staff_photo", pk=member.pk)
    return redirect("nursery:staff")


@staff_required()
def change_staff_photo(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.access_staff_photo(request.user, pk)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        dispatch = services.set_staff_photo(member=member, photo=form.cleaned_data["photo"])
        queued = dispatch.queued is not False
        messages.success(request, "Photo saved." if queued else "Photo saved. Its small version will appear shortly.")
        return _after_photo(request, member)
    own = member.user_id == request.user.pk
    return render(
        request,
        "nursery/change_staff_photo.html",
        {
            "member": member,
            "own": own,
            "form": form,
            "current": reverse("nursery:staff_photo_thumbnail", args=[member.pk]) if member.photo else "",
            "cancel_url": reverse("home") if own else reverse("nursery:staff"),
        },
    )


@require_POST
@staff_required()
def remove_staff_photo(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.access_staff_photo(request.user, pk)
    services.set_staff_photo(member=member, photo=None)
    messages.success(request, "Photo removed.")
    return _after_photo(request, member)


@login_required
def staff_photo(request: HttpRequest, pk: int, small: bool) -> HttpResponse:
    """A member of staff's photo, for colleagues and for the families of children at their nursery."""
    member = get_object_or_404(selectors.staff_known_to(request.user), pk=pk)
    return photo_response(request, member.photo, member.photo_thumbnail, small=small)
