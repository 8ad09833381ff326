"""Forms for the child's record: details, family links and invitations, contacts, All about me, consents, notes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import ADDRESS, LONG, SHORT
from nursery.forms import DateInput

from .models import (
    ABOUT_ME_FIELDS,
    AllAboutMe,
    Child,
    ConsentPurpose,
    EmergencyContact,
    Guardianship,
    Relationship,
    Sex,
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


class ChildForm(forms.ModelForm):
    """A child's record; the rules for its dates (within the child's life) are ``Child.clean``'s."""

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
        self.fields["room"].queryset = nursery.rooms.active() | nursery.rooms.filter(pk=self.instance.room_id)
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
    full_name = forms.CharField(label=_("Your full name"), max_length=150)
    phone = forms.CharField(label=_("Phone number"), max_length=30, help_text=_("The number the nursery should call."))
    address = forms.CharField(
        label=_("Home address"), max_length=ADDRESS, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


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
        max_length=SHORT,
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
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What agreeing means, in words a parent understands.",
    )


class ConfidentialNoteForm(forms.Form):
    text = forms.CharField(
        label="Your note",
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only your child's key person and the nursery's managers can read this.",
    )

    def __init__(self, *args, by_staff: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if by_staff:  # a member of staff writing down what the family said
            self.fields["text"].label = "What the family told you"
            self.fields["text"].help_text = "Only the key person and the managers can read this."


class ChildListFilterForm(forms.Form):
    """The children list's filter: one room, or all of them."""

    room = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="All rooms", widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = nursery.rooms.order_by("min_age_months", "name")
