"""Helpers the transitions views share for their form pages."""

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def service_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put a service's message on the field it names (or the whole form), keeping what was typed."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_page(request: HttpRequest, form: BaseForm, *, title: str, submit: str, child=None, plan=None) -> HttpResponse:
    return render(
        request, "transitions/form.html", {"form": form, "title": title, "submit": submit, "child": child, "plan": plan}
    )
