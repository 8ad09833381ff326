"""Nursery groups: reads scoped to the group's owners, and the forms that rename a group and add a nursery."""

from django import forms
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import GroupOwnerInvitation, Nursery, NurseryGroup, StaffInvitation, StaffMember


def owned_groups(user: User) -> QuerySet[NurseryGroup]:
    if not user.is_authenticated:
        return NurseryGroup.objects.none()
    return NurseryGroup.objects.filter(owners=user)


def access_group(user: User, pk: int) -> NurseryGroup:
    """A group the user owns, or 404 (another group's pages do not exist for them)."""
    return get_object_or_404(owned_groups(user), pk=pk)


def access_group_nursery(user: User, pk: int) -> Nursery:
    """A nursery of a group the user owns, or 404."""
    return get_object_or_404(Nursery.objects.filter(group__in=owned_groups(user)).select_related("group"), pk=pk)


def pending_owner_invitations(user: User) -> QuerySet[GroupOwnerInvitation]:
    """Invitations to own a group the user owns, not yet accepted or cancelled."""
    return GroupOwnerInvitation.objects.filter(
        group__in=owned_groups(user), invitation__accepted_at__isnull=True, invitation__revoked_at__isnull=True
    ).select_related("invitation", "group")


def access_owner_invitation(user: User, pk: int) -> GroupOwnerInvitation:
    """A waiting invitation to own one of the user's groups, or 404."""
    return get_object_or_404(pending_owner_invitations(user), pk=pk)


def group_nurseries(group: NurseryGroup) -> list[Nursery]:
    """The group's nurseries by name, each with ``managers`` (in post) and ``invited`` (first managers' invitations
    not yet accepted). Three queries whatever the number of nurseries."""
    return list(
        group.nurseries.prefetch_related(
            Prefetch(
                "staff",
                queryset=StaffMember.objects.in_post().managing().select_related("user"),
                to_attr="managers",
            ),
            Prefetch(
                "staff_invitations",
                queryset=StaffInvitation.objects.filter(
                    role=StaffMember.Role.MANAGER,
                    invitation__accepted_at__isnull=True,
                    invitation__revoked_at__isnull=True,
                ).select_related("invitation"),
                to_attr="invited",
            ),
        ).order_by("name", "pk")
    )


class RenameGroupForm(forms.Form):
    name = forms.CharField(
        label="Group name", max_length=120, help_text="Shown to the group's owners, on its pages and its overview."
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()


class AddNurseryForm(forms.Form):
    name = forms.CharField(label="Nursery name", max_length=120)
    manager_name = forms.CharField(label="First manager's full name", max_length=150)
    manager_email = forms.EmailField(
        label="First manager's e-mail address", help_text="They get a link to set a password and set the nursery up."
    )

    def __init__(self, *args, group: NurseryGroup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group = group

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if self.group.nurseries.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"{self.group.name} already has a nursery called {name}. Choose another name.")
        return name

    def clean_manager_name(self) -> str:
        return self.cleaned_data["manager_name"].strip()


class InviteOwnerForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="E-mail address", help_text="They get a link to set a password.")

    def clean_full_name(self) -> str:
        return self.cleaned_data["full_name"].strip()

    def clean_email(self) -> str:
        # Whether they own the group already is checked by services.invite_group_owner.
        return self.cleaned_data["email"].strip().lower()
