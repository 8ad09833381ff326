"""Managers' pages for the EYFS framework: which framework the nursery uses, and its own statements."""

from collections import defaultdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from nursery.permissions import manager_required

from ..models import Statement
from . import selectors, services
from .forms import FrameworkChoiceForm, StatementForm


def _back_to(statement: Statement) -> str:
    return f"{reverse('framework:statements')}?band={statement.band_id}#area-{statement.area.code}"


@manager_required
def statements(request: HttpRequest) -> HttpResponse:
    """The framework's statements for one age band, area by area, with the nursery's own among them."""
    nursery = request.staff_post.nursery
    framework = selectors.current_framework_for(nursery)
    bands = list(framework.bands.all())
    band = next((b for b in bands if str(b.pk) == request.GET.get("band")), bands[0])
    by_area = defaultdict(list)
    for statement in selectors.statements_for(nursery=nursery, framework=framework, include_retired=True).filter(
        band=band
    ):
        by_area[statement.area_id].append(statement)
    areas = [(area, by_area[area.pk]) for area in selectors.areas_of(framework)]
    return render(
        request,
        "learning_stories/framework_statements.html",
        {
            "framework": framework,
            "bands": bands,
            "band": band,
            "areas": areas,
            "choice_form": FrameworkChoiceForm(initial={"framework": framework}),
        },
    )


@require_POST
@manager_required
def choose_framework(request: HttpRequest) -> HttpResponse:
    form = FrameworkChoiceForm(request.POST)
    if form.is_valid():
        chosen = form.cleaned_data["framework"]
        services.choose_framework(nursery=request.staff_post.nursery, framework=chosen, chosen_by=request.user)
        messages.success(request, f"New observations now use {chosen.name}.")
    else:
        messages.error(request, "Please choose one of the frameworks listed.")
    return redirect("framework:statements")


@manager_required
def add_statement(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    framework = selectors.current_framework_for(nursery)
    form = StatementForm(request.POST or None, framework=framework, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        statement = services.add_statement(
            nursery=nursery,
            area=data["area"],
            band=data["band"],
            aspect=data["aspect"],
            text=data["text"],
            created_by=request.user,
        )
        messages.success(request, "Statement added. Staff see it when they tag observations.")
        return redirect(_back_to(statement))
    return render(request, "learning_stories/statement_form.html", {"form": form, "framework": framework})


@manager_required
def edit_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.access_statement(request.user, pk, nursery=request.staff_post.nursery)
    framework = statement.area.framework
    form = StatementForm(
        request.POST or None,
        framework=framework,
        fixed_area=statement.area,
        initial={"text": statement.text, "aspect": statement.aspect},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.edit_statement(
            statement=statement, text=data["text"], aspect=data["aspect"], edited_by=request.user
        )
        if saved.pk != statement.pk:
            messages.success(request, "Saved as a new statement: observations already tagged keep the old words.")
        else:
            messages.success(request, "Statement saved.")
        return redirect(_back_to(saved))
    return render(
        request,
        "learning_stories/statement_form.html",
        {"form": form, "framework": framework, "statement": statement},
    )


@require_POST
@manager_required
def retire_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.access_statement(request.user, pk, nursery=request.staff_post.nursery)
    services.retire_statement(statement=statement)
    messages.success(request, "Statement retired. Observations tagged with it keep it.")
    return redirect(_back_to(statement))


@require_POST
@manager_required
def restore_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement = selectors.access_statement(request.user, pk, nursery=request.staff_post.nursery)
    services.restore_statement(statement=statement)
    messages.success(request, "Statement offered again.")
    return redirect(_back_to(statement))
