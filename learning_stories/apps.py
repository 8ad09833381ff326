"""The learning stories app: its panels on the child page, and the framework data kept after a flush."""

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models.signals import post_delete, post_migrate, post_save


def restore_frameworks(sender: AppConfig, apps: Apps = global_apps, **kwargs) -> None:
    """Put back the frameworks the data migration loaded if ``flush`` emptied the tables (as tests do)."""
    from .migrations._eyfs_data import load

    try:
        apps.get_model("learning_stories", "Statement")
    except LookupError:  # migrated back to before the framework existed
        return
    load(apps)
    framework_changed(sender)  # historical models send no signals of their own


def assessments_changed(sender, **kwargs) -> None:
    from core.caching import bump

    from .assessments.selectors import ASSESSMENTS

    bump(ASSESSMENTS)


def framework_changed(sender, **kwargs) -> None:
    from core.caching import bump

    from .framework.selectors import FRAMEWORK_DATA

    bump(FRAMEWORK_DATA)


class LearningStoriesConfig(AppConfig):
    name = "learning_stories"
    verbose_name = "Learning stories"

    def ready(self) -> None:
        from children.panels import Panel, register

        from .assessments.selectors import assessment_panel
        from .next_steps.selectors import next_steps_panel
        from .progress_check.selectors import progress_check_panel
        from .story.selectors import story_panel

        register(Panel(template="learning_stories/_child_story_panel.html", context=story_panel, order=20))
        register(Panel(template="learning_stories/_next_steps_panel.html", context=next_steps_panel, order=21))
        register(
            Panel(template="learning_stories/_child_progress_check_panel.html", context=progress_check_panel, order=25)
        )
        register(Panel(template="learning_stories/_child_assessment_panel.html", context=assessment_panel, order=26))
        from children.services import CONSENT_CHANGED_HOOKS
        from core.images import PHOTO_PREPARED_HOOKS

        from .faces.services import after_photo_prepared, consent_changed

        PHOTO_PREPARED_HOOKS.append(after_photo_prepared)  # faces are found off the request, with the display copy
        CONSENT_CHANGED_HOOKS.append(consent_changed)  # blurred copies are remade when consent changes
        post_migrate.connect(restore_frameworks, sender=self, dispatch_uid="learning_stories.restore_frameworks")
        from .framework.selectors import FRAMEWORK_MODELS
        from .models import Assessment, AssessmentPoint

        for model in (Assessment, AssessmentPoint):  # the tracker's cached trend is counted afresh
            post_save.connect(assessments_changed, sender=model, dispatch_uid=f"assessments_changed_{model.__name__}")
            post_delete.connect(assessments_changed, sender=model, dispatch_uid=f"assessments_deleted_{model.__name__}")
        for model in FRAMEWORK_MODELS:  # the cached framework data is read afresh after any change
            post_save.connect(framework_changed, sender=model, dispatch_uid=f"framework_changed_{model.__name__}")
            post_delete.connect(framework_changed, sender=model, dispatch_uid=f"framework_deleted_{model.__name__}")
        from nursery.setup import Step, register_step

        from .framework.selectors import current_framework_for
        from .models import NurseryFramework

        register_step(
            Step(
                key="framework",
                order=40,
                title="The framework you use",
                explanation="Development Matters or Birth to 5 Matters: the guidance on how children develop that "
                "staff tag observations with and check progress against.",
                url_name="framework:statements",
                link_label="Choose the framework",
                is_done=lambda nursery: NurseryFramework.objects.filter(nursery=nursery).exists(),
                confirm_label="Keep this framework",
                current=lambda nursery: f"Now using {current_framework_for(nursery).name}.",
            )
        )
        register_step(
            Step(
                key="review",
                order=50,
                title="Checking observations before families see them",
                explanation="Whether a manager reads each observation before it appears in the child's learning "
                "story for the family, or staff share it straight away.",
                url_name="stories:review_settings",
                link_label="Choose",
                is_done=lambda nursery: False,  # a decision no record shows: done once confirmed
                confirm_label="Keep this",
                current=lambda nursery: (
                    "Now: a manager checks each observation first."
                    if nursery.observations_need_review
                    else "Now: observations are shared with families straight away."
                ),
            )
        )
