"""The key person system in Django's admin: spells, key groups and key person notices."""

from django.contrib import admin

from .models import KeyGroup, KeyPersonAssignment, KeyPersonNotice


@admin.register(KeyPersonAssignment)
class KeyPersonAssignmentAdmin(admin.ModelAdmin):
    list_display = ["child", "key_person", "starts_on", "ends_on", "reason"]
    list_filter = ["key_person__nursery"]


@admin.register(KeyGroup)
class KeyGroupAdmin(admin.ModelAdmin):
    list_display = ["key_person", "size_limit", "buddy"]
    list_filter = ["key_person__nursery"]


@admin.register(KeyPersonNotice)
class KeyPersonNoticeAdmin(admin.ModelAdmin):
    list_display = ["assignment", "created_at"]
