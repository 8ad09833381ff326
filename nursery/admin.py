"""The admin site's pages for nurseries, rooms and staff."""

from django.contrib import admin

from .models import Nursery, Room, StaffAbsence, StaffInvitation, StaffMember, WorkingPattern


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Nursery)
class NurseryAdmin(admin.ModelAdmin):
    list_display = ["name", "observations_need_review"]
    inlines = [RoomInline]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "nursery", "role", "room", "qualification_level", "is_active"]
    list_filter = ["nursery", "role", "is_active"]
    search_fields = ["user__full_name", "user__email"]


admin.site.register(StaffInvitation)


@admin.register(WorkingPattern)
class WorkingPatternAdmin(admin.ModelAdmin):
    list_display = ["staff", "weekday", "session"]
    list_filter = ["staff__nursery", "weekday"]


@admin.register(StaffAbsence)
class StaffAbsenceAdmin(admin.ModelAdmin):
    list_display = ["staff", "kind", "starts_on", "ends_on"]
    list_filter = ["staff__nursery", "kind"]
