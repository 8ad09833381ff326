"""The manager's choice whether families see the Leuven ratings."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from nursery.permissions import manager_required

from .forms import FamiliesSeeWellbeingForm
from .scales import EXPLANATION
from .services import set_families_see_wellbeing


@manager_required
def wellbeing_settings(request: HttpRequest) -> HttpResponse:
    nursery = request.staff_post.nursery
    form = FamiliesSeeWellbeingForm(
        request.POST if request.method == "POST" else None,
        initial={"families_see_wellbeing": nursery.families_see_wellbeing},
    )
    if request.method == "POST" and form.is_valid():
        set_families_see_wellbeing(nursery=nursery, show=form.cleaned_data["families_see_wellbeing"])
        messages.success(request, "Saved.")
        return redirect("stories:wellbeing_settings")
    return render(
        request,
        "learning_stories/wellbeing_settings.html",
        {"form": form, "nursery": nursery, "explanation": EXPLANATION},
    )
