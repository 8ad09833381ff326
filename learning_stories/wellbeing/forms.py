from django import forms


class FamiliesSeeWellbeingForm(forms.Form):
    families_see_wellbeing = forms.BooleanField(
        label="Families see the wellbeing and involvement ratings in their child's story",
        required=False,
        help_text="Staff always see them. When off, families see the observations but not the ratings.",
    )
