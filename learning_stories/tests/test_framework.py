"""The EYFS framework loaded by migration, and the selectors that suggest what fits a child's age."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F, ProtectedError

from children.tests.factories import ChildFactory
from learning_stories.framework import selectors, services
from learning_stories.models import Area, Aspect, CharacteristicPart, Framework, Statement
from learning_stories.tests.factories import StatementFactory, area, band, framework

pytestmark = pytest.mark.django_db

EARLY_LEARNING_GOALS = {
    "CL": ["Listening, Attention and Understanding", "Speaking"],
    "PD": ["Gross Motor Skills", "Fine Motor Skills"],
    "PSED": ["Self-Regulation", "Managing Self", "Building Relationships"],
    "L": ["Comprehension", "Word Reading", "Writing"],
    "M": ["Number", "Numerical Patterns"],
    "UW": ["Past and Present", "People, Culture and Communities", "The Natural World"],
    "EAD": ["Creating with Materials", "Being Imaginative and Expressive"],
}


@pytest.mark.parametrize("code", ["development-matters", "birth-to-5-matters"])
def test_each_framework_has_the_seven_areas_with_their_early_learning_goals(code):
    areas = list(selectors.areas_of(framework(code)))

    assert [a.name for a in areas if a.is_prime] == [
        "Communication and Language",
        "Physical Development",
        "Personal, Social and Emotional Development",
    ]
    assert [a.name for a in areas if not a.is_prime] == [
        "Literacy",
        "Mathematics",
        "Understanding the World",
        "Expressive Arts and Design",
    ]
    assert {a.code: [g.name for g in a.aspects.all()] for a in areas} == EARLY_LEARNING_GOALS
    assert all(a.explanation for a in areas), "every area is explained for parents"


def test_the_characteristics_of_effective_learning_note_the_other_guidances_wording():
    dm = {p.name: p.also_known_as for p in selectors.characteristic_parts_of(framework())}
    b2fm = {p.name for p in selectors.characteristic_parts_of(framework("birth-to-5-matters"))}

    assert len(dm) == 9
    assert {"Keeping on trying", "Making links", "Working with ideas"} <= set(dm)
    assert dm["Making links"] == "Using what they already know to learn new things"
    assert "Using what they already know to learn new things" in b2fm
    assert "Making links" not in b2fm


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (0, ["Birth to three"]),
        (35, ["Birth to three"]),
        (36, ["3 and 4-year-olds"]),
        (50, ["3 and 4-year-olds", "Children in reception"]),
        (65, ["Children in reception"]),
    ],
)
def test_development_matters_bands_by_age(months, expected):
    assert [b.name for b in selectors.bands_for_age(framework(), months)] == expected


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (5, ["Range 1"]),
        (10, ["Range 1", "Range 2"]),
        (24, ["Range 3", "Range 4"]),
        (30, ["Range 4"]),
        (35, ["Range 4", "Range 5"]),
        (47, ["Range 5", "Range 6"]),
        (70, ["Range 6"]),
    ],
)
def test_birth_to_5_matters_ranges_overlap(months, expected):
    assert [b.name for b in selectors.bands_for_age(framework("birth-to-5-matters"), months)] == expected


@pytest.mark.parametrize("code", ["development-matters", "birth-to-5-matters"])
def test_every_area_has_statements_for_every_band(code):
    chosen = framework(code)
    for age_band in chosen.bands.all():
        covered = set(Statement.objects.filter(band=age_band).values_list("area__code", flat=True))
        assert covered == set(EARLY_LEARNING_GOALS), age_band.name


def test_statements_belong_to_one_framework_throughout():
    assert not Statement.objects.exclude(band__framework=F("area__framework")).exists()
    assert not Statement.objects.exclude(aspect__area=F("area")).exclude(aspect__isnull=True).exists()


def test_a_nursery_uses_development_matters_until_a_manager_chooses_another(nursery, manager):
    assert selectors.current_framework_for(nursery) == framework()

    services.choose_framework(nursery=nursery, framework=framework("birth-to-5-matters"), chosen_by=manager)

    assert selectors.current_framework_for(nursery) == framework("birth-to-5-matters")
    assert selectors.current_framework_for(nursery.pk) == framework("birth-to-5-matters")


def test_a_replaced_framework_version_cannot_be_chosen(nursery, manager):
    old = framework("birth-to-5-matters")
    old.superseded_by = framework()
    old.save()

    with pytest.raises(ValidationError):
        services.choose_framework(nursery=nursery, framework=old, chosen_by=manager)
    assert old not in selectors.frameworks_available()


def test_suggested_statements_fit_the_childs_age_and_nursery(nursery, other_nursery):
    child = ChildFactory(nursery=nursery, date_of_birth=date(2022, 1, 10))  # 50 months on the day below
    own = StatementFactory(nursery=nursery, band=band("Children in reception"))
    someone_elses = StatementFactory(nursery=other_nursery, band=band("Children in reception"))
    retired = StatementFactory(nursery=nursery, band=band("Children in reception"))
    services.retire_statement(statement=retired)

    suggested = list(selectors.suggested_statements(child, on=date(2026, 3, 20)))

    assert {s.band.name for s in suggested} == {"3 and 4-year-olds", "Children in reception"}
    assert own in suggested
    assert someone_elses not in suggested
    assert retired not in suggested


def test_no_statements_are_suggested_without_a_date_of_birth(nursery):
    assert not selectors.suggested_statements(ChildFactory(nursery=nursery, date_of_birth=None)).exists()


def test_suggestions_follow_the_nurserys_framework(nursery, manager):
    child = ChildFactory(nursery=nursery, date_of_birth=date(2025, 1, 1))
    services.choose_framework(nursery=nursery, framework=framework("birth-to-5-matters"), chosen_by=manager)

    suggested = selectors.suggested_statements(child, on=date(2026, 1, 1))  # 12 months

    assert {s.band.name for s in suggested} == {"Range 2"}


def test_a_manager_adds_a_statement_to_an_area_and_band(nursery, manager):
    speaking = Aspect.objects.get(area=area("CL"), name="Speaking")

    added = services.add_statement(
        nursery=nursery,
        area=area("CL"),
        band=band("Birth to three"),
        aspect=speaking,
        text="  Says hello in two languages. ",
        created_by=manager,
    )

    assert added.text == "Says hello in two languages."
    assert added.is_own


def test_a_statement_cannot_mix_frameworks_or_areas(nursery, manager):
    with pytest.raises(ValidationError):
        services.add_statement(
            nursery=nursery,
            area=area("CL"),
            band=band("Range 1", of="birth-to-5-matters"),
            text="x",
            created_by=manager,
        )
    with pytest.raises(ValidationError):
        services.add_statement(
            nursery=nursery,
            area=area("CL"),
            band=band("Birth to three"),
            text="x",
            created_by=manager,
            aspect=Aspect.objects.get(area=area("M"), name="Number"),
        )


def test_an_unused_own_statement_is_reworded_in_place(nursery, manager):
    statement = StatementFactory(nursery=nursery)

    edited = services.edit_statement(statement=statement, text="New words", aspect=None, edited_by=manager)

    assert edited.pk == statement.pk
    assert Statement.objects.get(pk=statement.pk).text == "New words"


def test_a_statement_in_use_is_replaced_and_its_old_wording_kept(nursery, manager, monkeypatch):
    statement = StatementFactory(nursery=nursery, text="Old words")
    monkeypatch.setattr(services, "is_in_use", lambda s: True)  # as if an observation were tagged with it

    edited = services.edit_statement(statement=statement, text="New words", aspect=None, edited_by=manager)

    statement.refresh_from_db()
    assert statement.text == "Old words"
    assert statement.is_retired
    assert edited.text == "New words"
    assert edited.replaces == statement
    assert not edited.is_retired


def test_an_untagged_statement_is_not_in_use(nursery):
    assert not services.is_in_use(StatementFactory(nursery=nursery))


def test_the_frameworks_own_statements_cannot_be_changed(manager):
    statement = Statement.objects.filter(nursery__isnull=True).first()

    with pytest.raises(ValidationError):
        services.edit_statement(statement=statement, text="x", aspect=None, edited_by=manager)
    with pytest.raises(ValidationError):
        services.retire_statement(statement=statement)


def test_a_framework_version_cannot_be_deleted_from_under_old_observations():
    with pytest.raises(ProtectedError):
        Framework.objects.get(code="birth-to-5-matters").delete()
    assert Area.objects.count() == 14
    assert CharacteristicPart.objects.count() == 18


@pytest.mark.django_db(transaction=True)
def test_the_frameworks_come_back_after_the_database_is_flushed():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    assert selectors.default_framework().code == "development-matters"
    assert Statement.objects.filter(band__framework__code="birth-to-5-matters").exists()
