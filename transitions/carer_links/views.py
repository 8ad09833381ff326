"""Sharing a child's summary with other carers: the key person adds a carer and makes links, the family
agrees or says no in their account, and the carer opens the summary without an account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from children.models import ChildAuditEvent
from children.services import record_event

from ..links import private_page, visitor
from . import selectors, services
from .forms import CarerForm, CarerLinkForm, CarerNoteForm, PaperConsentForm


@login_required
def carers(request: HttpRequest, pk: int) -> HttpResponse:
    """The key person: add carers, record paper consent, make and revoke links, read notes back.
    The family: agree or say no, see when a summary was opened and read the notes."""
    child, viewer = selectors.access_child_for_carers(request.user, pk)
    form = CarerForm(request.POST or None) if viewer.may_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(selectors.NOT_THE_KEY_PERSON)
        if form.is_valid():
            carer = services.add_carer(child=child, by=request.user, **form.cleaned_data)
            messages.success(request, f"{carer.name} added. {child.known_as}'s family is asked to agree first.")
            return redirect("transitions:carers", pk=child.pk)
    else:
        record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Other carers")
    context = {
        "child": child,
        "viewer": viewer,
        "carers": selectors.carers_of(child),
        "form": form,
        "link_form": CarerLinkForm(),
        "paper_form": PaperConsentForm(),
        "now": timezone.now(),
    }
    return render(request, "transitions/carers.html", context)


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """A parent agrees to sharing with this carer, or says no (also after agreeing: links stop)."""
    carer = selectors.access_carer_to_decide(request.user, pk)
    agreed = request.POST.get("answer") == "agree"
    services.decide(carer=carer, agreed=agreed, by=request.user)
    if agreed:
        messages.success(request, f"Thank you. The key person may now share a summary with {carer.name}.")
    else:
        messages.success(request, f"Nothing will be shared with {carer.name}.")
    return redirect("transitions:carers", pk=carer.child_id)


@require_POST
@login_required
def paper_consent(request: HttpRequest, pk: int) -> HttpResponse:
    carer = selectors.access_carer_to_share(request.user, pk)
    form = PaperConsentForm(request.POST)
    if form.is_valid():
        services.record_paper_consent(carer=carer, signed_on=form.cleaned_data["signed_on"], by=request.user)
        messages.success(request, f"The family's consent to sharing with {carer.name} is recorded.")
    else:
        messages.error(request, " ".join(form.errors.get("signed_on", ["Give the date on the signed form."])))
    return redirect("transitions:carers", pk=carer.child_id)


@require_POST
@login_required
def create_link(request: HttpRequest, pk: int) -> HttpResponse:
    carer = selectors.access_carer_to_share(request.user, pk)
    form = CarerLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("days", ["Give the number of days the link works."])))
        return redirect("transitions:carers", pk=carer.child_id)
    try:
        services.create_carer_link(carer=carer, by=request.user, days=form.cleaned_data["days"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Link made for {carer.name}. Copy it below and send it to them.")
    return redirect("transitions:carers", pk=carer.child_id)


@require_POST
@login_required
def revoke_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.access_carer_link(request.user, pk)
    services.revoke_carer_link(link=link, by=request.user)
    messages.success(request, f"The link for {link.carer.name} no longer works.")
    return redirect("transitions:carers", pk=link.carer.child_id)


def carer_page(request: HttpRequest, token: str) -> HttpResponse:
    """The carer's read-only summary (no account), with a note back. 404 for an address never made, 410 once
    it expired, was revoked or the family withdrew their consent."""
    try:
        link = selectors.access_carer_link_by_token(token)
    except selectors.CarerLinkClosed as closed:
        context = {"unknown": closed.nursery is None, "nursery": closed.nursery, "ask": closed.ask}
        status = 404 if closed.nursery is None else 410
        return private_page(render(request, "transitions/carer_link_closed.html", context, status=status))
    form = CarerNoteForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        try:
            services.send_carer_note(link=link, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            form, sent = CarerNoteForm(), True
    elif request.method != "POST":
        ip_address, user_agent = visitor(request)
        services.record_carer_view(link=link, ip_address=ip_address, user_agent=user_agent)
    child = link.carer.child
    context = {"link": link, "child": child, "summary": selectors.carer_summary(child), "form": form, "sent": sent}
    return private_page(render(request, "transitions/carer_page.html", context))
