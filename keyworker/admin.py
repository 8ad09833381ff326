from django.contrib import admin

from .models import KeyPersonAssignment


@admin.register(KeyPersonAssignment)
class KeyPersonAssignmentAdmin(admin.ModelAdmin):
    list_display = ["child", "key_person", "starts_on", "ends_on", "reason"]
    list_filter = ["key_person__nursery"]
