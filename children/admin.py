"""The admin site's pages for children and their record history."""

from django.contrib import admin

from .models import AllAboutMe, Child, ChildAuditEvent, EmergencyContact, Guardianship


class GuardianshipInline(admin.TabularInline):
    model = Guardianship
    extra = 0
    autocomplete_fields = ["user"]


class EmergencyContactInline(admin.TabularInline):
    model = EmergencyContact
    extra = 0


class AllAboutMeInline(admin.StackedInline):
    model = AllAboutMe
    extra = 0
    exclude = ["updated_by"]


# Confidential notes are deliberately not in the admin: reading them must go through the pages that
# check the reader and write the record history.
@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["display_name", "nursery", "room", "date_of_birth", "start_date", "leave_date"]
    list_filter = ["nursery", "room"]
    search_fields = ["first_name", "last_name", "preferred_name"]
    inlines = [GuardianshipInline, EmergencyContactInline, AllAboutMeInline]


@admin.register(ChildAuditEvent)
class ChildAuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "child", "actor", "action", "what"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the audit log is append-only
