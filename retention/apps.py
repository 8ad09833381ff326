"""Retention and erasure: how long each kind of record is kept, the nightly sweep, legal holds, erasure."""

from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention and erasure"
