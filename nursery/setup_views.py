"""The manager's "Set up your nursery" checklist and the nursery details page."""

import re
from datetime import time

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import setup
from .models import NOT_ARRIVED_AFTER, Nursery
from .permissions import manager_required


class NurseryDetailsForm(forms.ModelForm):
    class Meta:
        model = Nursery
        fields = ["name", "address", "phone", "email", "ofsted_urn", "not_arrived_after", "staff_two_factor_required"]
        labels = {"name": "Nursery name", "phone": "Phone number", "email": "E-mail address"}
        help_texts = {
            "address": "Shown to families and printed on reports.",
            "email": "The nursery's own address, for families to write to.",
            "ofsted_urn": "The unique reference number on your Ofsted registration certificate, e.g. EY123456.",
            "staff_two_factor_required": "After their password, everyone on the staff types a code from an app on "
            "their phone; anyone who has not set it up is asked to the next time they open KeyStory.",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "not_arrived_after": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["not_arrived_after"].required = False  # left empty: keeps the time it had

    def clean_not_arrived_after(self) -> time:
        return self.cleaned_data["not_arrived_after"] or self.instance.not_arrived_after or NOT_ARRIVED_AFTER

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the nursery a name.")
        return name

    def clean_address(self) -> str:
        return "\n".join(line.strip() for line in self.cleaned_data["address"].splitlines() if line.strip())

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (not re.fullmatch(r"[0-9 +()\-]+", phone) or len(re.sub(r"\D", "", phone)) < 10):
            raise forms.ValidationError("Type a phone number with its area code, e.g. 01603 123456.")
        return phone

    def clean_ofsted_urn(self) -> str:
        urn = re.sub(r"\s", "", self.cleaned_data["ofsted_urn"]).upper()
        if urn and not re.fullmatch(r"[A-Z]{0,2}\d{6,8}", urn):
            raise forms.ValidationError("An Ofsted URN looks like EY123456 or 2512345: letters, then the numbers.")
        return urn


@manager_required
def checklist(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    states = setup.checklist(nursery)
    return render(
        request,
        "nursery/setup.html",
        {
            "nursery": nursery,
            "states": states,
            "done_count": sum(state.done for state in states),
            "complete": all(state.done for state in states),
        },
    )


@require_POST
@manager_required
def confirm_step(request: HttpRequest) -> HttpResponse:
    """Keep a setting as it is, so its step counts as done."""
    try:
        setup.confirm_step(nursery=request.staff_post.nursery, key=request.POST.get("step", ""))
    except ValueError:
        messages.error(request, "That step cannot be ticked off here. Open its page instead.")
    else:
        messages.success(request, "Noted.")
    return redirect("nursery:setup")


@manager_required
def nursery_details(request: HttpRequest) -> HttpResponse:
    nursery = Nursery.objects.get(pk=request.staff_post.nursery_id)  # not the page's own copy, if the form fails
    form = NurseryDetailsForm(request.POST or None, instance=nursery)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Nursery details saved.")
        return redirect("nursery:details" if setup.is_complete(nursery) else "nursery:setup")
    return render(request, "nursery/nursery_details.html", {"form": form, "nursery": nursery})
