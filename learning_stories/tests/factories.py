import factory

from learning_stories.models import Area, Band, Framework, Statement


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
