from django import forms

from .models import Relationship


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
