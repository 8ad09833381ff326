"""Pages of a child's record: details, family and invitations, emergency contacts, All about me, consents,
notes for the key person, sessions booked, the photo and the record history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts.selectors import pending_invitation_rows
from accounts.views import invitation_action, report_dispatch
from core.images import PhotoForm
from core.mail_unsubscribe import one_click_view
from core.pagination import paginate
from core.private_media import photo_response
from core.queue import Dispatch
from nursery.forms import WeekPatternForm
from nursery.permissions import manager_required, staff_required

from . import selectors, services
from .access import (
    access_all_about_me,
    access_child,
    access_emergency_contact,
    access_guardian_invitation,
    access_guardianship,
    access_home_change,
    access_own_guardianship,
)
from .forms import (
    AllAboutMeForm,
    ChildForm,
    ChildListFilterForm,
    ConfidentialNoteForm,
    ConsentDecisionForm,
    ConsentPurposeForm,
    EmergencyContactForm,
    GuardianInvitationForm,
    GuardianshipForm,
    HomeChangeForm,
    OwnContactDetailsForm,
)
from .models import (
    ABOUT_ME_FIELDS,
    Child,
    ChildAuditEvent,
    ConfidentialNote,
    ConsentPurpose,
    EmergencyContact,
    Guardianship,
    PhotoConsent,
)
from .notices import NEWS_EMAILS
from .panels import panels_for

Action = ChildAuditEvent.Action
ALERT_FIELDS = {"allergies", "medical_needs"}  # shown in red wherever staff read them


@staff_required()
def child_list(request: HttpRequest) -> HttpResponse:
    """The nursery's children by room, a page at a time, optionally one room only."""
    nursery = request.staff_post.nursery
    filters = ChildListFilterForm(request.GET, nursery=nursery)
    children = selectors.children_in_staff_care(request.user).filter(nursery=nursery)
    if filters.is_valid() and filters.cleaned_data["room"]:
        children = children.filter(room=filters.cleaned_data["room"])
    page, query = paginate(
        request, selectors.with_alerts(children.order_by("room__min_age_months", "first_name", "pk")), per_page=50
    )
    listed = selectors.with_photo_consent(page.object_list)
    # A room's heading gives its whole count, though its children may run over two pages.
    totals = selectors.children_per_room(children)
    for child in listed:
        child.room_total = totals.get(child.room_id, 0)
    return render(
        request,
        "children/child_list.html",
        {
            "children": listed,
            "page": page,
            "query": query,
            "filters": filters,
            "is_manager": request.staff_post.is_manager,
        },
    )


@login_required
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(
        selectors.with_alerts(selectors.children_visible_to(request.user)).prefetch_related(
            Prefetch("guardianships", queryset=Guardianship.objects.select_related("user")), "emergency_contacts"
        ),
        pk=pk,
    )
    services.record_event(child=child, actor=request.user, action=Action.VIEWED, what="Child's page")
    is_manager = selectors.can_manage_child(request.user, child)
    is_staff = selectors.works_at_childs_nursery(request.user, child)
    photo_consent = selectors.photo_consent_states([child.pk])[child.pk]
    context = {
        "child": child,
        "panels": panels_for(request, child),
        "is_manager": is_manager,
        "is_staff": is_staff,
        "photo_shown": bool(child.photo) and photo_consent != PhotoConsent.NONE,  # own-story consent given
        "guardian_link": selectors.guardian_link(request.user, child),
        "pending": (
            pending_invitation_rows(selectors.pending_guardian_invitations(request.user).filter(child=child))
            if is_manager
            else []
        ),
    }
    if is_staff:
        child.photo_consent = photo_consent
        context.update(
            consent_rows=selectors.consent_rows(child),
            unread_changes=selectors.unread_home_changes(child).count(),
            may_edit_about=selectors.may_edit_all_about_me(request.user, child),
        )
    return render(request, "children/child_detail.html", context)


@manager_required
def child_create(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = ChildForm(request.POST or None, nursery=nursery, instance=Child(nursery=nursery))
    if request.method == "POST" and form.is_valid():
        child = services.save_child(child=form.instance, by=request.user, changed=[])
        messages.success(request, f"{child.display_name} added. Next, invite a parent or carer.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form})


@manager_required
def child_edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, manage=True)
    form = ChildForm(request.POST or None, nursery=child.nursery, instance=child)
    if request.method == "POST" and form.is_valid():
        changed = [str(form.fields[name].label) for name in form.changed_data]
        services.save_child(child=form.instance, by=request.user, changed=changed)
        messages.success(request, f"{child.display_name}'s details saved.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "child": child})


@manager_required
def invite_guardian(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, manage=True)
    form = GuardianInvitationForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        invited = services.invite_guardian(
            children=[child, *data.get("siblings", [])],
            email=data["email"],
            full_name=data["full_name"],
            relationship=data["relationship"],
            has_parental_responsibility=data["has_parental_responsibility"],
            invited_by=request.user,
        )
        report_dispatch(
            request, invited.dispatch, f"Invitation for {invited.invitation.email} saved and on its way by e-mail."
        )
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/invite_guardian.html", {"child": child, "form": form})


@require_POST
@manager_required
def guardian_invitation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    grant = access_guardian_invitation(request.user, pk)
    invitation_action(request, grant.invitation, action, nursery_id=grant.child.nursery_id)
    return redirect("children:detail", pk=grant.child_id)


@manager_required
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, manage=True)
    events = child.audit_events.select_related("actor")[:200]
    return render(request, "children/audit_log.html", {"child": child, "events": events})


@manager_required
def guardian_edit(request: HttpRequest, pk: int) -> HttpResponse:
    link = access_guardianship(request.user, pk)
    child = link.child
    form = GuardianshipForm(request.POST or None, instance=link)
    if request.method == "POST" and form.is_valid():
        changed = [str(form.fields[name].label) for name in form.changed_data]
        services.update_guardianship(link=form.instance, by=request.user, changed=changed)
        messages.success(request, f"{link.user}'s details for {child.known_as} saved.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/guardian_form.html", {"form": form, "link": link, "child": child})


@login_required
def my_details(request: HttpRequest) -> HttpResponse:
    """A parent keeps their own phone number and address up to date."""
    links = list(request.user.guardianships.select_related("child"))
    if not links:
        raise PermissionDenied("This page is for parents and carers.")
    initial = {"full_name": request.user.full_name, "phone": request.user.phone, "address": links[0].address}
    form = OwnContactDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_own_contact_details(user=request.user, **form.cleaned_data)
        messages.success(request, gettext("Your contact details are saved. Thank you for keeping them up to date."))
        return redirect("children:my_details")
    return render(
        request, "children/my_details.html", {"form": form, "children": [link.child for link in links], "links": links}
    )


# The link in each family notice that stops those e-mails, without logging in (core.mail_unsubscribe).
news_email_off = one_click_view(NEWS_EMAILS)


@require_POST
@login_required
def news_email_preference(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the e-mails about one child's key person, meetings, progress checks, room moves and leaver pack on
    or off."""
    link = access_own_guardianship(request.user, pk)
    on = request.POST.get("email") == "on"
    services.set_news_by_email(guardianship=link, on=on)
    messages.success(
        request,
        f"You will {'now' if on else 'no longer'} get e-mails about {link.child.known_as}'s key person, meetings, "
        f"progress checks, room moves and the leaver pack{'' if on else '. They still show on your pages here'}.",
    )
    return redirect("children:my_details")


@manager_required
def emergency_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _emergency_contact_form(request, EmergencyContact(child=access_child(request.user, pk, manage=True)))


@manager_required
def emergency_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _emergency_contact_form(request, access_emergency_contact(request.user, pk))


def _emergency_contact_form(request: HttpRequest, contact: EmergencyContact) -> HttpResponse:
    form = EmergencyContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.save_emergency_contact(contact=form.instance, by=request.user)
        messages.success(request, f"Emergency contact {contact.name} saved.")
        return redirect("children:detail", pk=contact.child_id)
    return render(request, "children/emergency_contact_form.html", {"form": form, "contact": contact})


@require_POST
@manager_required
def emergency_contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = access_emergency_contact(request.user, pk)
    services.remove_emergency_contact(contact=contact, by=request.user)
    messages.success(request, f"Emergency contact {contact.name} removed.")
    return redirect("children:detail", pk=contact.child_id)


@login_required
def all_about_me(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk)
    services.record_event(child=child, actor=request.user, action=Action.VIEWED, what="All about me")
    may_edit = selectors.may_edit_all_about_me(request.user, child)
    is_guardian = selectors.guardian_link(request.user, child) is not None
    about = selectors.all_about_me_of(child)
    return render(
        request,
        "children/all_about_me.html",
        {
            "child": child,
            "rows": [(label, getattr(about, field), field in ALERT_FIELDS) for field, label in ABOUT_ME_FIELDS.items()],
            "about": about,
            "may_edit": may_edit,
            "is_guardian": is_guardian,
            "changes": selectors.unread_home_changes(child) if may_edit else [],
            "waiting": selectors.unread_home_changes(child).filter(proposed_by=request.user) if is_guardian else [],
        },
    )


@staff_required()
def all_about_me_edit(request: HttpRequest, pk: int) -> HttpResponse:
    about = access_all_about_me(request.user, pk)
    child = about.child
    form = AllAboutMeForm(request.POST or None, instance=about)
    if request.method == "POST" and form.is_valid():
        services.save_all_about_me(about=form.instance, by=request.user)
        messages.success(request, f"All about {child.known_as} saved.")
        return redirect("children:all_about_me", pk=child.pk)
    return render(
        request,
        "children/all_about_me_form.html",
        {"child": child, "form": form, "changes": selectors.unread_home_changes(child)},
    )


@login_required
def propose_home_change(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, family=True, adding=True)
    form = HomeChangeForm(request.POST or None, instance=selectors.all_about_me_of(child))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.propose_home_change(
                child=child, by=request.user, proposed={f: data[f] for f in ABOUT_ME_FIELDS}, note=data["note"]
            )
        except services.NothingChanged as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Thank you. {child.known_as}'s key person will read this and update the record.")
            return redirect("children:all_about_me", pk=child.pk)
    return render(request, "children/home_change_form.html", {"child": child, "form": form})


@require_POST
@staff_required()
def review_home_change(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    change = access_home_change(request.user, pk)
    services.review_home_change(change=change, by=request.user, accept=accept)
    done = "added to All about me" if accept and change.changes else "marked as read"
    messages.success(request, f"The change at home is {done}.")
    return redirect("children:all_about_me", pk=change.child_id)


@login_required
def consents(request: HttpRequest, pk: int) -> HttpResponse:
    """Each purpose with its current decision and the history. Parents decide; managers record for them."""
    child = access_child(request.user, pk)
    by_parent = selectors.holds_parental_responsibility(request.user, child)
    on_behalf = not by_parent and selectors.can_manage_child(request.user, child)
    purposes = selectors.consent_purposes_for(child.nursery_id)
    form = None
    if request.method == "POST":
        if not (by_parent or on_behalf):
            raise PermissionDenied("Only a parent with parental responsibility can change consents.")
        form = ConsentDecisionForm(request.POST, purposes=purposes, on_behalf=on_behalf)
        if form.is_valid():
            data = form.cleaned_data
            services.record_consent(
                child=child, purpose=data["purpose"], granted=data["granted"], by=request.user, note=data["note"]
            )
            verb = "given" if data["granted"] else "withdrawn"
            messages.success(request, f"Consent {verb}: {data['purpose'].name}.")
            return redirect("children:consents", pk=child.pk)
    services.record_event(child=child, actor=request.user, action=Action.VIEWED, what="Consents")
    return render(
        request,
        "children/consents.html",
        {
            "child": child,
            "rows": selectors.consent_rows(child),
            "history": selectors.consent_history(child),
            "may_change": by_parent or on_behalf,
            "on_behalf": on_behalf,
            "form": form,
            "photo_consent": selectors.photo_consent_states([child.pk])[child.pk],
        },
    )


@manager_required
def consent_purposes(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = ConsentPurposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        purpose = services.add_consent_purpose(nursery=nursery, **form.cleaned_data)
        messages.success(request, f"“{purpose.name}” added. Families can now give or refuse it.")
        return redirect("children:consent_purposes")
    return render(
        request,
        "children/consent_purposes.html",
        {"form": form, "purposes": selectors.consent_purposes_for(nursery.pk), "nursery": nursery},
    )


@login_required
def family_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent's confidential notes to the key person: they read back only what they wrote (a leaver's
    family still may, but sends no more)."""
    child = access_child(request.user, pk, family=True, adding=request.method == "POST")
    form = ConfidentialNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_confidential_note(
            child=child, by=request.user, text=form.cleaned_data["text"], source=ConfidentialNote.Source.FAMILY
        )
        messages.success(request, f"Your note is saved. Only {child.known_as}'s key person and the managers see it.")
        return redirect("children:family_notes", pk=child.pk)
    services.record_event(child=child, actor=request.user, action=Action.VIEWED, what="Own confidential notes")
    return render(
        request,
        "children/family_notes.html",
        {"child": child, "form": form, "notes": selectors.own_confidential_notes(request.user, child)},
    )


@manager_required
def bookings(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's booking pattern: which sessions they come to on which weekdays."""
    child = access_child(request.user, pk, manage=True)
    form = WeekPatternForm(
        request.POST or None,
        sessions=list(child.nursery.sessions.all()),
        chosen=set(child.bookings.values_list("weekday", "session_id")),
    )
    if request.method == "POST" and form.is_valid():
        services.set_booking_pattern(child=child, slots=form.cleaned_data["slots"], by=request.user)
        messages.success(request, f"{child.known_as}'s sessions saved.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/bookings.html", {"child": child, "form": form})


@login_required
def child_photo(request: HttpRequest, pk: int, small: bool) -> HttpResponse:
    """The child's photo, for anyone who may see the child, while the family's consent stands."""
    child = access_child(request.user, pk)
    if not selectors.has_consent(child, ConsentPurpose.PHOTOS_OWN_STORY):
        raise Http404("No photo.")
    if not small:  # thumbnails are part of pages that record their own viewing
        services.record_event(child=child, actor=request.user, action=Action.VIEWED, what="Photo")
    return photo_response(
        request, child.photo, child.photo_thumbnail, small=small, download_name=f"{child.known_as}.jpg"
    )


def tell_photo_saved(request: HttpRequest, dispatch: Dispatch | None) -> None:
    if dispatch is None:
        messages.success(request, "Photo removed.")
    elif dispatch.queued is False:
        messages.success(request, "Photo saved. Its small version for lists will appear shortly.")
    else:
        messages.success(request, "Photo saved.")


@staff_required()
def change_child_photo(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, in_care=True)
    allowed = selectors.has_consent(child, ConsentPurpose.PHOTOS_OWN_STORY)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.set_child_photo(child=child, photo=form.cleaned_data["photo"], by=request.user)
        except ValidationError as refused:
            form.add_error(None, refused.message)
        else:
            tell_photo_saved(request, dispatch)
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "children/change_photo.html",
        {
            "child": child,
            "form": form,
            "allowed": allowed,
            "current": reverse("children:photo_thumbnail", args=[child.pk]) if child.photo and allowed else "",
        },
    )


@require_POST
@staff_required()
def remove_child_photo(request: HttpRequest, pk: int) -> HttpResponse:
    child = access_child(request.user, pk, in_care=True)
    tell_photo_saved(request, services.set_child_photo(child=child, photo=None, by=request.user))
    return redirect("children:detail", pk=child.pk)
