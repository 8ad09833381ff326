from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import pending_invitation_rows
from accounts.views import invitation_action, report_dispatch
from core.images import PhotoForm
from core.private_media import photo_response
from core.queue import Dispatch
from nursery.forms import WeekPatternForm
from nursery.models import Room
from nursery.permissions import manager_required, staff_required
from nursery.selectors import rooms_visible_to

from . import selectors, services
from .forms import (
    AllAboutMeForm,
    ChildForm,
    ConfidentialNoteForm,
    ConsentDecisionForm,
    ConsentPurposeForm,
    CorrectCareEntryForm,
    EmergencyContactForm,
    GuardianInvitationForm,
    GuardianshipForm,
    HomeChangeForm,
    IncidentForm,
    OwnContactDetailsForm,
    QuickCareForm,
)
from .models import (
    ABOUT_ME_FIELDS,
    CareEntry,
    Child,
    ChildAuditEvent,
    ConfidentialNote,
    ConsentPurpose,
    EmergencyContact,
    Guardianship,
    HomeChange,
    Incident,
    Meal,
    PhotoConsent,
    clock,
    names_of,
)
from .panels import panels_for, room_tabs

Action = ChildAuditEvent.Action
ALERT_FIELDS = {"allergies", "medical_needs"}  # shown in red wherever staff read them


@staff_required()
def child_list(request: HttpRequest) -> HttpResponse:
    children = selectors.with_alerts(
        selectors.children_in_staff_care(request.user)
        .filter(nursery=request.staff_post.nursery)
        .order_by("room__min_age_months", "first_name")
    )
    return render(
        request,
        "children/child_list.html",
        {"children": selectors.with_photo_consent(children), "is_manager": request.staff_post.is_manager},
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
    child = _managed_child(request, pk)
    form = ChildForm(request.POST or None, nursery=child.nursery, instance=child)
    if request.method == "POST" and form.is_valid():
        changed = [str(form.fields[name].label) for name in form.changed_data]
        services.save_child(child=form.instance, by=request.user, changed=changed)
        messages.success(request, f"{child.display_name}'s details saved.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "child": child})


def _managed_child(request: HttpRequest, pk: int) -> Child:
    child = get_object_or_404(selectors.children_visible_to(request.user), pk=pk)
    if not selectors.can_manage_child(request.user, child):
        raise PermissionDenied("Only the nursery's managers can do this.")
    return child


@manager_required
def invite_guardian(request: HttpRequest, pk: int) -> HttpResponse:
    child = _managed_child(request, pk)
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
    grant = get_object_or_404(selectors.pending_guardian_invitations(request.user), pk=pk)
    invitation_action(request, grant.invitation, action, nursery_id=grant.child.nursery_id)
    return redirect("children:detail", pk=grant.child_id)


@manager_required
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    child = _managed_child(request, pk)
    events = child.audit_events.select_related("actor")[:200]
    return render(request, "children/audit_log.html", {"child": child, "events": events})


# --- The day: register, care log, accidents -------------------------------------------------


def _room(request: HttpRequest, pk: int) -> Room:
    return get_object_or_404(rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery), pk=pk)


def _time_today(value: time | None) -> datetime | None:
    return selectors.moment(timezone.localdate(), value) if value else None


def _time_field(request: HttpRequest) -> tuple[datetime | None, str]:
    """The optional "at" time a person typed for a correction, or an error to show them."""
    raw = request.POST.get("at", "").strip()
    if not raw:
        return None, ""
    try:
        return _time_today(datetime.strptime(raw, "%H:%M").time()), ""
    except ValueError:
        return None, "Type the time as hours and minutes, for example 09:30."


@staff_required()
def today(request: HttpRequest) -> HttpResponse:
    """Staff open the day in their own room (a manager in the first room)."""
    room = request.staff_post.room or rooms_visible_to(request.user).filter(nursery=request.staff_post.nursery).first()
    if room is None:
        messages.info(request, "Add a room first: the register and care log are kept per room.")
        return redirect("home")
    return redirect("children:room_care", pk=room.pk)


def _back_to_room(child: Child, page: str = "children:room_care", *, otherwise: str = "home") -> HttpResponse:
    """Back to the child's room's page, or ``otherwise`` for a child not in a room."""
    return redirect(page, pk=child.room_id) if child.room_id else redirect(otherwise)


def room_context(request: HttpRequest, room: Room) -> dict:
    """What ``children/_room_nav.html`` needs: the room, the nursery's rooms and the day's pages."""
    return {
        "room": room,
        "rooms": rooms_visible_to(request.user).filter(nursery=room.nursery_id),
        "room_tabs": room_tabs(),
        "tab": request.resolver_match.view_name,
        "today": timezone.localdate(),
    }


@staff_required()
def room_register(request: HttpRequest, pk: int) -> HttpResponse:
    room = _room(request, pk)
    children = selectors.with_alerts(selectors.register_for(room, timezone.localdate()))
    services.record_daily_view(child_ids=[child.pk for child in children], actor=request.user, what="Register")
    context = room_context(request, room) | {"children": children}
    return render(request, "children/room_register.html", context)


@require_POST
@staff_required()
def sign_in_or_out(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    child = get_object_or_404(selectors.children_in_staff_care(request.user), pk=pk)
    at, error = _time_field(request)
    if not error:
        try:
            change = services.sign_in if action == "in" else services.sign_out
            stay = change(child=child, by=request.user, at=at)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    done = "" if error else f"{child.known_as} signed {action} at {clock(stay.signed_out_at or stay.signed_in_at)}."
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return _back_to_room(child, "children:room_register", otherwise="children:today")
    if child.room_id:
        child = selectors.with_alerts(selectors.register_for(child.room, timezone.localdate())).get(pk=child.pk)
    return render(request, "children/_register_row.html", {"child": child, "status": done, "error": error})


SLEEP_CHECK_EVERY = timedelta(minutes=10)


def _care_context(room: Room, day: date) -> dict:
    in_room = selectors.with_alerts(selectors.register_for(room, day))
    now = timezone.now()
    sleeps = list(selectors.sleeping(in_room))
    for entry in sleeps:
        checks = list(entry.checks.all())  # prefetched, oldest first
        entry.last_check = checks[-1].at if checks else entry.at
        entry.check_due = now - entry.last_check >= SLEEP_CHECK_EVERY
    return {
        "present": selectors.present_at(in_room, now),
        "sleeping": sleeps,
        "log": selectors.care_log(in_room, day),
        "incidents": selectors.incidents_for(in_room, day),
    }


def _default_meal(moment: datetime) -> str:
    hour = timezone.localtime(moment).hour + timezone.localtime(moment).minute / 60
    for until, meal in (
        (9.5, Meal.BREAKFAST),
        (11, Meal.MORNING_SNACK),
        (13.5, Meal.LUNCH),
        (16, Meal.AFTERNOON_SNACK),
    ):
        if hour < until:
            return meal
    return Meal.TEA


def _log_quick_entry(request: HttpRequest, form: QuickCareForm) -> str:
    """Apply one tap from the room screen; returns what was saved, or adds the reason to the form."""
    data = form.cleaned_data
    kind, _, value = data["action"].partition(":")
    children, at, note = list(data["child"]), _time_today(data["at"]), data["note"]
    by = request.user
    try:
        if kind == "sleep":
            change = {"start": services.start_sleep, "end": services.end_sleep, "check": services.check_sleep}[value]
            saved = change(children=children, by=by, at=at)
            what = {"start": "Asleep", "end": "Woke up", "check": "Sleep checked"}[value]
        elif kind == CareEntry.Kind.MEAL:
            saved = services.log_care(
                children=children, kind=kind, by=by, at=at, meal=data["meal"], amount=value, note=note
            )
            what = saved[0].summary
        elif kind in (CareEntry.Kind.NAPPY, CareEntry.Kind.TOILET):
            saved = services.log_care(children=children, kind=kind, by=by, at=at, condition=value, note=note)
            what = saved[0].summary
        else:
            saved = services.log_care(children=children, kind=kind, by=by, at=at, note=note)
            what = CareEntry.Kind(kind).label
    except ValidationError as exc:
        form.add_error(None, exc)
        return ""
    return f"{what}: {names_of(children)}, {clock(saved[0].at)}."


@staff_required()
def room_care(request: HttpRequest, pk: int) -> HttpResponse:
    """The room's care log on a tablet: tick the children, tap what happened."""
    room = _room(request, pk)
    day = timezone.localdate()
    form = QuickCareForm(
        request.POST or None,
        children=selectors.register_for(room, day),
        initial={"meal": _default_meal(timezone.now())},
    )
    saved = ""
    if request.method == "POST" and form.is_valid():
        saved = _log_quick_entry(request, form)
        if saved and not request.htmx:
            messages.success(request, saved)
            return redirect("children:room_care", pk=room.pk)
    error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    services.record_daily_view(
        child_ids=form.fields["child"].queryset.values_list("pk", flat=True), actor=request.user, what="Care log"
    )
    context = room_context(request, room) | _care_context(room, day)
    context |= {"form": form, "saved": saved, "error": error}
    return render(request, "children/_care_day.html" if request.htmx else "children/room_care.html", context)


def _entry_for_staff(request: HttpRequest, pk: int) -> CareEntry:
    entries = CareEntry.objects.filter(child__in=selectors.children_in_staff_care(request.user)).select_related("child")
    return get_object_or_404(entries, pk=pk)


@staff_required()
def correct_care_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for_staff(request, pk)
    staff = User.objects.filter(staff_posts__nursery=entry.child.nursery_id, staff_posts__is_active=True)
    initial = {
        "at": timezone.localtime(entry.at).time(),
        "ends_at": timezone.localtime(entry.ends_at).time() if entry.ends_at else None,
        "amount": entry.amount,
        "condition": entry.condition,
        "note": entry.note,
        "done_by": entry.by,
    }
    form = CorrectCareEntryForm(request.POST or None, entry=entry, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day = entry.day
        try:
            services.correct_care_entry(
                entry=entry,
                by=request.user,
                done_by=data["done_by"],
                at=selectors.moment(day, data["at"]),
                ends_at=selectors.moment(day, data["ends_at"]) if data.get("ends_at") else None,
                amount=data.get("amount", ""),
                condition=data.get("condition", ""),
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Corrected: {entry.child.known_as}, {entry.summary}.")
            return _back_to_room(entry.child)
    return render(request, "children/correct_care_entry.html", {"entry": entry, "form": form})


@require_POST
@staff_required()
def remove_care_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry_for_staff(request, pk)
    services.remove_care_entry(entry=entry, by=request.user)
    messages.success(request, f"Removed: {entry.child.known_as}, {entry.summary} at {clock(entry.at)}.")
    return _back_to_room(entry.child)


@staff_required()
def report_incident(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(selectors.children_in_staff_care(request.user), pk=pk)
    form = IncidentForm(request.POST or None, initial={"at": timezone.localtime().time().replace(second=0)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_incident(
                child=child,
                by=request.user,
                happened_at=_time_today(data["at"]),
                **{name: data[name] for name in ("kind", "what_happened", "where", "first_aid", "witness")},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Report saved. {child.known_as}'s family will be asked to read it today.")
            return _back_to_room(child)
    return render(request, "children/report_incident.html", {"child": child, "form": form})


@require_POST
@login_required
def acknowledge_incident(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident.objects.filter(child__in=selectors.children_of_guardian(request.user)), pk=pk)
    services.acknowledge_incident(incident=incident, by=request.user)
    messages.success(request, "Thank you: the nursery can see you have read the report.")
    return redirect("home")


@manager_required
def guardian_edit(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        Guardianship.objects.select_related("user", "child").filter(
            child__in=selectors.children_in_staff_care(request.user)
        ),
        pk=pk,
    )
    child = _managed_child(request, link.child_id)
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
        messages.success(request, "Your contact details are saved. Thank you for keeping them up to date.")
        return redirect("children:my_details")
    return render(request, "children/my_details.html", {"form": form, "children": [link.child for link in links]})


def _managed_contact(request: HttpRequest, pk: int) -> EmergencyContact:
    contact = get_object_or_404(
        EmergencyContact.objects.filter(child__in=selectors.children_in_staff_care(request.user)), pk=pk
    )
    _managed_child(request, contact.child_id)
    return contact


@manager_required
def emergency_contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _emergency_contact_form(request, EmergencyContact(child=_managed_child(request, pk)))


@manager_required
def emergency_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _emergency_contact_form(request, _managed_contact(request, pk))


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
    contact = _managed_contact(request, pk)
    services.remove_emergency_contact(contact=contact, by=request.user)
    messages.success(request, f"Emergency contact {contact.name} removed.")
    return redirect("children:detail", pk=contact.child_id)


@login_required
def all_about_me(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(selectors.children_visible_to(request.user), pk=pk)
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
    child = get_object_or_404(selectors.children_in_staff_care(request.user), pk=pk)
    if not selectors.may_edit_all_about_me(request.user, child):
        raise PermissionDenied("Only the child's key person and the managers fill in All about me.")
    form = AllAboutMeForm(request.POST or None, instance=selectors.all_about_me_of(child))
    if request.method == "POST" and form.is_valid():
        services.save_all_about_me(about=form.instance, by=request.user)
        messages.success(request, f"All about {child.known_as} saved.")
        return redirect("children:all_about_me", pk=child.pk)
    return render(
        request,
        "children/all_about_me_form.html",
        {"child": child, "form": form, "changes": selectors.unread_home_changes(child)},
    )


def _own_child(request: HttpRequest, pk: int) -> Child:
    """A child the user is a parent or carer of; 403 for staff who only see them at work."""
    child = get_object_or_404(selectors.children_visible_to(request.user), pk=pk)
    if selectors.guardian_link(request.user, child) is None:
        raise PermissionDenied("This page is for the child's family.")
    return child


@login_required
def propose_home_change(request: HttpRequest, pk: int) -> HttpResponse:
    child = _own_child(request, pk)
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
    change = get_object_or_404(
        HomeChange.objects.filter(child__in=selectors.children_in_staff_care(request.user)).select_related("child"),
        pk=pk,
    )
    if not selectors.may_edit_all_about_me(request.user, change.child):
        raise PermissionDenied("Only the child's key person and the managers deal with changes at home.")
    services.review_home_change(change=change, by=request.user, accept=accept)
    done = "added to All about me" if accept and change.changes else "marked as read"
    messages.success(request, f"The change at home is {done}.")
    return redirect("children:all_about_me", pk=change.child_id)


@login_required
def consents(request: HttpRequest, pk: int) -> HttpResponse:
    """Each purpose with its current decision and the history. Parents decide; managers record for them."""
    child = get_object_or_404(selectors.children_visible_to(request.user), pk=pk)
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
    """A parent's confidential notes to the key person: they read back only what they wrote."""
    child = _own_child(request, pk)
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
    child = _managed_child(request, pk)
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
    child = get_object_or_404(selectors.children_visible_to(request.user), pk=pk)
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
    child = get_object_or_404(selectors.children_in_staff_care(request.user), pk=pk)
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
    child = get_object_or_404(selectors.children_in_staff_care(request.user), pk=pk)
    tell_photo_saved(request, services.set_child_photo(child=child, photo=None, by=request.user))
    return redirect("children:detail", pk=child.pk)
