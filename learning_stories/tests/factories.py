"""Factories for the learning story tests: framework parts, observations, assessments, checks, next steps."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from children.models import Child
from core.images import process_upload
from learning_stories.models import (
    Area,
    Assessment,
    AssessmentPoint,
    Band,
    Framework,
    NextStep,
    Observation,
    ObservationChild,
    ObservationPhoto,
    ProgressCheck,
    Statement,
)
from tests.images import camera_jpeg, upload


class ObservationFactory(factory.django.DjangoModelFactory):
    """A published observation; pass ``children=[...]`` to tag children."""

    class Meta:
        model = Observation
        skip_postgeneration_save = True

    nursery = factory.SubFactory("nursery.tests.factories.NurseryFactory")
    author = factory.SubFactory(UserFactory)
    observed_at = factory.LazyFunction(timezone.now)
    text = factory.Faker("sentence")
    status = Observation.Status.PUBLISHED
    framework = factory.LazyFunction(lambda: Framework.objects.filter(is_default=True).first())

    @factory.post_generation
    def children(self, create: bool, children: list[Child] | None, **kwargs) -> None:
        for child in children or []:
            ObservationChild.objects.create(observation=self, child=child)


class ObservationPhotoFactory(factory.django.DjangoModelFactory):
    """A photo (already clean, as the pipeline would store it); ``children=[...]`` says who is in it."""

    class Meta:
        model = ObservationPhoto
        skip_postgeneration_save = True

    observation = factory.SubFactory(ObservationFactory)
    image = factory.LazyFunction(lambda: process_upload(upload(camera_jpeg())).as_file())
    children_chosen = True

    @factory.post_generation
    def children(self, create: bool, children: list[Child] | None, **kwargs) -> None:
        if children:
            self.children.set(children)


def framework(code: str = "development-matters") -> Framework:
    """A framework loaded by migration (tests use the real data)."""
    return Framework.objects.get(code=code)


def area(code: str = "CL", *, of: str = "development-matters") -> Area:
    return Area.objects.get(framework__code=of, code=code)


def band(name: str, *, of: str = "development-matters") -> Band:
    return Band.objects.get(framework__code=of, name=name)


class StatementFactory(factory.django.DjangoModelFactory):
    """A nursery's own statement (pass ``nursery``); in Development Matters, Birth to three, by default."""

    class Meta:
        model = Statement

    area = factory.LazyFunction(area)
    band = factory.LazyFunction(lambda: band("Birth to three"))
    text = factory.Sequence(lambda n: f"Shares a favourite book with a friend ({n}).")


class AssessmentPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentPoint

    nursery = factory.SubFactory("nursery.tests.factories.NurseryFactory")
    name = factory.Sequence(lambda n: f"Term {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    ends_on = factory.LazyFunction(timezone.localdate)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """An on-track judgement in Communication and Language at the child's nursery's assessment point."""

    class Meta:
        model = Assessment

    child = factory.SubFactory("children.tests.factories.ChildFactory")
    point = factory.SubFactory(AssessmentPointFactory, nursery=factory.SelfAttribute("..child.nursery"))
    area = factory.LazyFunction(lambda: area("CL"))
    band = factory.LazyFunction(lambda: band("Birth to three"))
    judgement = Assessment.Judgement.ON_TRACK
    rationale = "Uses two-word phrases at snack time."
    assessed_on = factory.SelfAttribute("point.starts_on")


class ProgressCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressCheck

    child = factory.SubFactory("children.tests.factories.ChildFactory")
    written_by = factory.SubFactory(UserFactory)
    strengths = "Loves stories and joins in with the repeated lines."


class NextStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NextStep

    child = factory.SubFactory("children.tests.factories.ChildFactory")
    text = "Take turns with a friend at the water tray."
    area = factory.LazyFunction(lambda: area("PSED"))
