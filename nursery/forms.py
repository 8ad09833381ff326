from django import forms

from .models import Room, StaffMember


class StaffInvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=StaffMember.Role.choices, initial=StaffMember.Role.PRACTITIONER)
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, empty_label="No fixed room")
    job_title = forms.CharField(max_length=80, required=False, help_text="e.g. Room leader, Deputy manager, SENCO")

    def __init__(self, *args, nursery, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.nursery = nursery
        self.fields["room"].queryset = nursery.rooms.all()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if StaffMember.objects.filter(nursery=self.nursery, user__email__iexact=email, is_active=True).exists():
            raise forms.ValidationError("This person already works here.")
        return email
