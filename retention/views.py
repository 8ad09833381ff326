"""The manager's retention pages: the schedule, what the next run removes, legal holds, the log, erasure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from nursery.permissions import manager_required

from . import selectors, services
from .forms import HoldForm, PeriodsForm
from .schedule import KINDS


@manager_required
def schedule(request: HttpRequest) -> HttpResponse:
    """Each kind of record: the legal minimum, the nursery's period, and where the period comes from."""
    nursery = request.staff_post.nursery
    current = selectors.periods(nursery)
    form = PeriodsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        changed = [kind for kind in KINDS if form.cleaned_data[kind.code] != current[kind.code]]
        with transaction.atomic():
            for kind in changed:
                services.set_period(
                    nursery=nursery, kind_code=kind.code, months=form.cleaned_data[kind.code], by=request.user
                )
        messages.success(request, f"Retention periods saved ({len(changed)} changed).")
        return redirect("retention:schedule")
    rows = [(kind, form[kind.code], kind.describe(current[kind.code])) for kind in KINDS]
    return render(request, "retention/schedule.html", {"form": form, "rows": rows})


@manager_required
def next_run(request: HttpRequest) -> HttpResponse:
    """What tonight's run will remove: counts per kind and per child, never what the records say."""
    preview = selectors.next_run(request.staff_post.nursery)
    return render(request, "retention/next_run.html", {"preview": preview, "max_per_run": services.MAX_PER_RUN})


@manager_required
def holds(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = HoldForm(request.POST or None, nursery=nursery)
    if request.method == "POST" and form.is_valid():
        try:
            hold = services.place_hold(
                nursery=nursery, child=form.cleaned_data["child"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{hold.child}'s record is on hold: nothing of it will be removed.")
            return redirect("retention:holds")
    return render(request, "retention/holds.html", {"form": form, "holds": selectors.holds_of(nursery)})


@require_POST
@manager_required
def release_hold(request: HttpRequest, pk: int) -> HttpResponse:
    hold = selectors.access_hold(request.user, pk)
    services.release_hold(hold=hold, by=request.user)
    messages.success(request, f"Hold on {hold.child}'s record released: the schedule applies again.")
    return redirect("retention:holds")


@manager_required
def removal_log(request: HttpRequest) -> HttpResponse:
    """Each run that removed something: when, why and how many of each kind (never content)."""
    runs = selectors.removal_log(request.staff_post.nursery).filter(counts__isnull=False).distinct()[:100]
    labels = {kind.code: kind.label for kind in KINDS} | services.ERASURE_COUNTS
    lines = [(run, [(labels.get(line.kind, line.kind), line) for line in run.counts.all()]) for run in runs]
    last = selectors.removal_log(request.staff_post.nursery).filter(reason="schedule").first()
    return render(request, "retention/log.html", {"runs": lines, "last": last})


@manager_required
def erase_family_member(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase a parent's or carer's account on their request."""
    nursery = request.staff_post.nursery
    member = selectors.access_family_member(request.user, pk, nursery_id=nursery.pk)
    links = list(selectors.family_links(member, nursery_id=nursery.pk))
    refusal = services.erasure_refusal(nursery=nursery, member=member)  # said before anyone ticks the box
    error = ""
    if request.method == "POST" and not refusal:
        if request.POST.get("confirm") != "erase":
            error = "Tick the box to confirm the family member asked for their account to be erased."
        else:
            try:
                run = services.erase_family_member(nursery=nursery, member=member, by=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if run.counts.filter(kind="family_account").exists():
                    messages.success(request, "The account is erased. The removal log shows the counts.")
                else:
                    messages.success(
                        request,
                        "Their links to this nursery's children are removed. The account stays because they "
                        "have a child at another nursery, which decides for its own records.",
                    )
                return redirect("retention:log")
    return render(
        request,
        "retention/erase_family_member.html",
        {
            "member": member,
            "links": links,
            "kept": services.KEPT_ON_ERASURE,
            "removed": services.REMOVED_ON_ERASURE,
            "error": error,
            "refusal": refusal,
        },
    )
