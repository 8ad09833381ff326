from django import forms
from django.utils import timezone

from nursery.forms import DateInput

from .models import (
    ABOUT_ME_FIELDS,
    AllAboutMe,
    Amount,
    CareEntry,
    Child,
    Condition,
    ConsentPurpose,
    EmergencyContact,
    Guardianship,
    Incident,
    Meal,
    ParentContribution,
    Relationship,
    Sex,
    SupportPlan,
    SupportReview,
    SupportTarget,
    TargetProgress,
)


class GuardianInvitationForm(forms.Form):
    full_name = forms.CharField(label="Parent or carer's full name", max_length=150)
    email = forms.EmailField(label="Their e-mail address")
    relationship = forms.ChoiceField(choices=Relationship.choices, label="Relationship to the child")
    has_parental_responsibility = forms.BooleanField(
        label="Has parental responsibility",
        required=False,
        initial=True,
        help_text="The legal right to make decisions about the child. Untick for grandparents or other carers.",
    )
    siblings = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Also invite them for these children",
        help_text="Brothers and sisters here with the same surname. For others, invite from their own page.",
    )

    def __init__(self, *args, child, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["siblings"].queryset = child.nursery.children.exclude(pk=child.pk).filter(
            last_name__iexact=child.last_name
        )
        if not self.fields["siblings"].queryset.exists():
            del self.fields["siblings"]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class ChildChips(forms.ModelMultipleChoiceField):
    def label_from_instance(self, child: Child) -> str:
        return child.known_as


class QuickCareForm(forms.Form):
    """One tap on a room screen: the same entry for every ticked child."""

    ACTIONS = (
        [(f"meal:{value}", label) for value, label in Amount.choices]
        + [(f"{kind}:{value}", label) for kind in ("nappy", "toilet") for value, label in Condition.choices]
        + [("sleep:start", "Asleep now"), ("sleep:end", "Woke up"), ("sleep:check", "Checked")]
        + [("care:", "Add personal care"), ("note:", "Add note")]
    )

    child = ChildChips(
        queryset=Child.objects.none(),
        required=False,
        label="Children",
        error_messages={"invalid_choice": "A child you chose is not in this room. Reload the page and try again."},
    )
    at = forms.TimeField(label="Time", required=False, widget=TimeInput, help_text="Leave empty for now.")
    meal = forms.ChoiceField(label="Which meal or drink", choices=Meal.choices, required=False)
    note = forms.CharField(label="Note", max_length=500, required=False)
    action = forms.ChoiceField(choices=ACTIONS)

    def __init__(self, *args, children, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children


class CorrectCareEntryForm(forms.Form):
    at = forms.TimeField(label="Time", widget=TimeInput)
    ends_at = forms.TimeField(label="Woke up at", widget=TimeInput, required=False)
    amount = forms.ChoiceField(label="How much", choices=Amount.choices)
    condition = forms.ChoiceField(choices=Condition.choices)
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    done_by = forms.ModelChoiceField(label="Who did it", queryset=None, required=False)

    def __init__(self, *args, entry: CareEntry, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_by"].queryset = staff
        if entry.kind != CareEntry.Kind.SLEEP:
            del self.fields["ends_at"]
        if entry.kind != CareEntry.Kind.MEAL:
            del self.fields["amount"]
        if entry.kind not in (CareEntry.Kind.NAPPY, CareEntry.Kind.TOILET):
            del self.fields["condition"]


class IncidentForm(forms.ModelForm):
    at = forms.TimeField(label="Time it happened", widget=TimeInput)

    class Meta:
        model = Incident
        fields = ["kind", "at", "what_happened", "where", "first_aid", "witness"]
        widgets = {
            "kind": forms.RadioSelect,
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "first_aid": forms.Textarea(attrs={"rows": 2}),
        }


class ChildForm(forms.ModelForm):
    DEFAULTED = ("send_status", "funding")

    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "start_date",
            "leave_date",
            "room",
            # Cohort fields: the groups trackers compare, so gaps between groups of children show.
            "sex",
            "english_additional_language",
            "send_status",
            "funding",
        ]
        widgets = {"date_of_birth": DateInput(), "start_date": DateInput(), "leave_date": DateInput()}
        help_texts = {
            "leave_date": "Leave empty until the family gives notice. The last day at the nursery.",
            "sex": "As the family tells you. Used only to compare how groups of children are doing.",
            "funding": "The government-funded hours the family claims, if any.",
        }
        error_messages = {"room": {"invalid_choice": "Choose one of this nursery's rooms."}}

    def __init__(self, *args, nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = nursery.rooms.all()
        self.fields["room"].empty_label = "No room yet"
        self.fields["date_of_birth"].required = True
        self.fields["start_date"].required = True
        self.fields["sex"].choices = [("", "Not recorded"), *Sex.choices]
        for name in self.DEFAULTED:  # left out (an older form, a script): the record keeps its value
            self.fields[name].required = False

    def _clean_defaulted(self, name: str) -> str:
        return self.cleaned_data[name] or getattr(self.instance, name)

    def clean_send_status(self) -> str:
        return self._clean_defaulted("send_status")

    def clean_funding(self) -> str:
        return self._clean_defaulted("funding")

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born and born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        return born

    def clean(self) -> dict:
        data = super().clean()
        born, starts, leaves = data.get("date_of_birth"), data.get("start_date"), data.get("leave_date")
        if born and starts and starts < born:
            self.add_error("start_date", "The start date cannot be before the child was born.")
        if starts and leaves and leaves < starts:
            self.add_error("leave_date", "The leave date cannot be before the start date.")
        return data


class GuardianshipForm(forms.ModelForm):
    class Meta:
        model = Guardianship
        fields = [
            "relationship",
            "has_parental_responsibility",
            "lives_with_child",
            "address",
            "can_view_story",
            "can_contribute",
            "receives_feedback",
            "can_collect",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "has_parental_responsibility": "The legal right to make decisions about the child, such as consents.",
        }


class OwnContactDetailsForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=150)
    phone = forms.CharField(label="Phone number", max_length=30, help_text="The number the nursery should call.")
    address = forms.CharField(label="Home address", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class EmergencyContactForm(forms.ModelForm):
    class Meta:
        model = EmergencyContact
        fields = ["name", "relationship", "phone", "other_phone", "may_collect", "priority"]


class AllAboutMeForm(forms.ModelForm):
    class Meta:
        model = AllAboutMe
        fields = list(ABOUT_ME_FIELDS)
        labels = ABOUT_ME_FIELDS
        widgets = {field: forms.Textarea(attrs={"rows": 2}) for field in ABOUT_ME_FIELDS if field != "home_languages"}


class HomeChangeForm(AllAboutMeForm):
    """The family's view of "All about me", filled with what the nursery has now; only changes are sent."""

    note = forms.CharField(
        label="Anything else your child's key person should know",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ConsentDecisionForm(forms.Form):
    purpose = forms.ModelChoiceField(queryset=ConsentPurpose.objects.none(), widget=forms.HiddenInput)
    granted = forms.TypedChoiceField(choices=[("yes", "Give"), ("no", "Withdraw")], coerce=lambda v: v == "yes")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, purposes, on_behalf: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].queryset = purposes
        if on_behalf:
            self.fields["note"].required = True
            self.fields["note"].label = "How the family told you"
            self.fields["note"].help_text = "e.g. Paper form signed by Sam Taylor on 3 March."


class ConsentPurposeForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="Short, e.g. “Sun cream” or “Local outings”.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What agreeing means, in words a parent understands.",
    )


class ConfidentialNoteForm(forms.Form):
    text = forms.CharField(
        label="Your note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only your child's key person and the nursery's managers can read this.",
    )

    def __init__(self, *args, by_staff: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if by_staff:  # a member of staff writing down what the family said
            self.fields["text"].label = "What the family told you"
            self.fields["text"].help_text = "Only the key person and the managers can read this."


# --- Support plans -------------------------------------------------------------------------------


class SupportPlanForm(forms.ModelForm):
    class Meta:
        model = SupportPlan
        fields = ["title", "needs", "started_on", "next_review_on", "status"]
        widgets = {"needs": forms.Textarea(attrs={"rows": 4}), "started_on": DateInput(), "next_review_on": DateInput()}
        labels = {"started_on": "Plan starts on"}
        help_texts = {
            "needs": "Assess: what you, the family and any professionals have seen, and what the child finds hard.",
            "status": "Close the plan when the child no longer needs it.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["status"]  # a new plan is always active

    def clean(self) -> dict:
        data = super().clean()
        starts, review = data.get("started_on"), data.get("next_review_on")
        if starts and review and review <= starts:
            self.add_error("next_review_on", "The review must come after the plan starts.")
        return data


class SupportTargetForm(forms.ModelForm):
    class Meta:
        model = SupportTarget
        fields = ["what", "strategies", "setting_does", "family_does", "others_do", "status"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in fields[:-1]}


class SupportReviewForm(forms.ModelForm):
    """Review: what happened, progress on each open target, the parents' views and the next date."""

    class Meta:
        model = SupportReview
        fields = ["held_on", "what_happened", "parents_views", "next_review_on"]
        widgets = {
            "held_on": DateInput(),
            "next_review_on": DateInput(),
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "parents_views": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"next_review_on": "Usually six to twelve weeks away. The key person is reminded a week before."}

    def __init__(self, *args, targets: list[SupportTarget], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            self.fields[f"progress_{target.pk}"] = forms.ChoiceField(
                label=f"Progress: {target.what}",
                choices=TargetProgress.Progress.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Say how this target went."},
            )
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label="Note on this target", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self) -> dict:
        data = super().clean()
        held, review = data.get("held_on"), data.get("next_review_on")
        if held and held > timezone.localdate():
            self.add_error("held_on", "Record a review once it has happened: the date cannot be in the future.")
        if held and held < self.instance.plan.started_on:
            self.add_error("held_on", "The review cannot be before the plan started.")
        if held and review and review <= held:
            self.add_error("next_review_on", "The next review must come after this one.")
        return data

    def progress(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {t.pk: (data[f"progress_{t.pk}"], data.get(f"note_{t.pk}", "")) for t in self.targets}


class ParentContributionForm(forms.ModelForm):
    class Meta:
        model = ParentContribution
        fields = ["views", "works_at_home"]
        widgets = {"views": forms.Textarea(attrs={"rows": 3}), "works_at_home": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "views": "How you feel things are going, and anything you would like to change.",
            "works_at_home": "What helps your child at home: words, routines, toys, ways of calming.",
        }

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("views", "").strip() or data.get("works_at_home", "").strip()):
            raise forms.ValidationError("Write something in at least one of the boxes.")
        return data
