"""Which children a tracker counts: the whole nursery, a room, or a key group at the assessment point.

Key groups live in this app, so the tracker pages do too; the figures themselves come from
``learning_stories.trackers`` given the children's ids.
"""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from children.models import Child, Sex
from keyworker.selectors import assignments_on
from learning_stories.assessments.selectors import assessment_points_of
from learning_stories.assessments.tracker import Cohort
from learning_stories.framework.selectors import current_framework_for
from learning_stories.models import AssessmentPoint
from nursery.models import Nursery, StaffMember

YES_NO = [("", "Everyone"), ("yes", "Yes"), ("no", "No")]
NURSERY = "nursery"


def latest_point(nursery: Nursery) -> AssessmentPoint | None:
    """The latest point that has begun (or the first one, before any has)."""
    points = assessment_points_of(nursery)
    return points.filter(starts_on__lte=timezone.localdate()).order_by("-starts_on").first() or points.first()


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class TrackerForm(forms.Form):
    """The tracker's choices, from the page's address (a GET form, so a tracker can be bookmarked)."""

    point = forms.ModelChoiceField(queryset=AssessmentPoint.objects.none(), empty_label=None, label="Assessment point")
    scope = forms.ChoiceField(label="Children")
    band = forms.ModelChoiceField(queryset=None, required=False, empty_label="Every age", label="Age band")
    sex = forms.ChoiceField(choices=[("", "Everyone"), *Sex.choices], required=False)
    summer_born = forms.ChoiceField(choices=YES_NO, required=False, label="Summer-born (April to August)")
    eal = forms.ChoiceField(choices=YES_NO, required=False, label="English as an additional language")
    send = forms.ChoiceField(choices=YES_NO, required=False, label="Special educational needs (SEND)")
    funded = forms.ChoiceField(choices=YES_NO, required=False, label="Funded hours")

    def __init__(self, data, *, nursery: Nursery, post: StaffMember) -> None:
        point = latest_point(nursery)
        own_group = post.can_be_key_person and not post.is_manager  # managers start from the whole nursery
        initial = {"point": point.pk if point else None, "scope": f"group-{post.pk}" if own_group else NURSERY}
        super().__init__({**initial, **data.dict()} if data else initial)
        self.nursery = nursery
        self.fields["point"].queryset = assessment_points_of(nursery).order_by("-starts_on")
        framework = current_framework_for(nursery)
        self.fields["band"].queryset = framework.bands.all()
        self.fields["band"].label = framework.band_term.capitalize()
        rooms = [(f"room-{room.pk}", room.name) for room in nursery.rooms.order_by("min_age_months")]
        people = StaffMember.objects.key_person_candidates().filter(nursery=nursery)
        groups = [(f"group-{p.pk}", f"{p.user.full_name}'s key group") for p in people.select_related("user")]
        self.fields["scope"].choices = [(NURSERY, "Whole nursery"), ("Rooms", rooms), ("Key groups", groups)]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def cohort(self) -> Cohort:
        data = self.cleaned_data
        return Cohort(
            band=data.get("band"),
            sex=data.get("sex", ""),
            summer_born=_yes_no(data.get("summer_born", "")),
            eal=_yes_no(data.get("eal", "")),
            send=_yes_no(data.get("send", "")),
            funded=_yes_no(data.get("funded", "")),
        )

    def scope_label(self) -> str:
        flat = {}
        for value, label in self.fields["scope"].choices:
            flat.update(dict(label) if isinstance(label, list) else {value: label})
        return flat.get(self.cleaned_data["scope"], "")

    def child_ids(self) -> QuerySet:
        """The scope's children: a room's children now, or the key group at the point's last day."""
        scope, point = self.cleaned_data["scope"], self.cleaned_data["point"]
        children = Child.objects.filter(nursery=self.nursery)
        if scope.startswith("room-"):
            return children.filter(room_id=int(scope.removeprefix("room-"))).values_list("pk", flat=True)
        if scope.startswith("group-"):
            spells = assignments_on(point.ends_on).filter(key_person_id=int(scope.removeprefix("group-")))
            return children.filter(pk__in=spells.values("child_id")).values_list("pk", flat=True)
        return children.values_list("pk", flat=True)
