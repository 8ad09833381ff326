"""Each child's learning story, what a family adds from home, and how a family hears of new entries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from children.models import ChildAuditEvent
from children.services import record_event
from core.clips import ClipRejected
from core.images import ImageRejected
from core.mail_unsubscribe import one_click_view

from ..framework.selectors import current_framework_for, framework_areas
from ..notices import STORY_EMAILS, frequency_of, set_notification_frequency
from ..observations import services as observations_services
from ..wellbeing.selectors import wellbeing_trend
from . import selectors
from .forms import HomeContributionForm, NotificationForm, StoryFilterForm

STORY_PAGE_SIZE = 20


@login_required
def story(request: HttpRequest, pk: int) -> HttpResponse:
    """The child's timeline, filtered and paginated, with the area-balance chart: a fixed number of queries."""
    child, viewer = selectors.access_story(request.user, pk)
    record_event(child=child, actor=request.user, action=ChildAuditEvent.Action.VIEWED, what="Learning story")
    framework = current_framework_for(child.nursery)
    filters = StoryFilterForm(request.GET or None, framework=framework)
    entries = selectors.story_entries(child, viewer)
    balance = selectors.area_balance(entries, framework_areas(framework) if framework else [])
    if filters.is_valid():
        entries = selectors.filter_story(entries, **filters.cleaned_data)
    page = Paginator(selectors.with_story_details(entries), STORY_PAGE_SIZE).get_page(request.GET.get("page"))
    page_entries = selectors.decorate(list(page.object_list), viewer)
    comments = selectors.comments_on(page_entries, child)
    for entry in page_entries:
        entry.child_comments = comments[entry.pk]
    window = int(request.GET["window"]) if request.GET.get("window") in {"3", "6", "12"} else 6
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "learning_stories/story.html",
        {
            "child": child,
            "viewer": viewer,
            "filters": filters,
            "page": page,
            "entries": page_entries,
            "balance": selectors.balance_rows(balance, window),
            "wellbeing": wellbeing_trend(child, viewer),
            "window": window,
            "windows": selectors.BALANCE_WINDOWS,
            "query": query.urlencode(),
        },
    )


@login_required
def add_home_contribution(request: HttpRequest, pk: int) -> HttpResponse:
    child, viewer = selectors.access_story(request.user, pk)
    if viewer.is_staff or not viewer.can_contribute:
        raise Http404("Only the child's family adds home contributions.")
    form = HomeContributionForm(request.POST or None, request.FILES or None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        observed_at = timezone.make_aware(timezone.datetime.combine(data["observed_on"], timezone.localtime().time()))
        try:
            observations_services.add_home_contribution(
                child=child,
                author=request.user,
                text=data["text"],
                observed_at=observed_at,
                photos=data["photos"],
                clips=data["clips"],
            )
        except ImageRejected as exc:
            form.add_error(
                "photos", f"{exc.message} " + gettext("Your words are still here: choose another photo or none.")
            )
        except ClipRejected as exc:
            form.add_error(
                "clips", f"{exc.message} " + gettext("Your words are still here: choose another clip or none.")
            )
        else:
            messages.success(
                request, gettext("Added to %(name)s's story. The key person will see it.") % {"name": child.known_as}
            )
            return redirect("stories:story", pk=child.pk)
    return render(request, "learning_stories/home_contribution.html", {"child": child, "form": form})


# The link in each story e-mail that stops them, without logging in (core.mail_unsubscribe).
email_off = one_click_view(STORY_EMAILS)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    form = NotificationForm(request.POST or None, initial={"frequency": frequency_of(request.user)})
    if request.method == "POST" and form.is_valid():
        set_notification_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, "Saved.")
        return redirect("stories:notifications")
    return render(request, "learning_stories/notifications.html", {"form": form})
