"""The group owner's pages across the group's nurseries (owners only: another group's answer 404)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.tablet import full_sign_in_required
from nursery.current import choose, linked_nurseries
from nursery.groups import access_group, access_group_nursery

from .dashboard import UNSEEN_DAYS
from .group_overview import OBSERVATION_GAP_WEEKS, group_overview, nursery_detail


@login_required
@full_sign_in_required
def group_overview_page(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(request.user, pk)
    return render(
        request,
        "keyworker/group_overview.html",
        {"overview": group_overview(group), "gap_weeks": OBSERVATION_GAP_WEEKS, "page_group": group},
    )


@login_required
@full_sign_in_required
def group_nursery(request: HttpRequest, pk: int) -> HttpResponse:
    """What is behind one nursery's figures. Where the owner also works there (or their child goes there), that
    nursery becomes the one their pages are about, so its own pages are a click away."""
    nursery = access_group_nursery(request.user, pk)
    linked = nursery.pk in {n.pk for n in linked_nurseries(request.user)}
    if linked:
        choose(request, nursery.pk)
    return render(
        request,
        "keyworker/group_nursery.html",
        {
            "detail": nursery_detail(nursery),
            "gap_weeks": OBSERVATION_GAP_WEEKS,
            "gap_days": UNSEEN_DAYS,
            "page_nursery": nursery,
            "works_here": linked and request.user.staff_posts.in_post().filter(nursery=nursery).exists(),
        },
    )
