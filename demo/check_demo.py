"""Demo progress checks at two: a child just due (Zara), two overdue (Evie, Mohammed), a draft under way
(Harry) and a check shared with the family who have added their view (Sienna).

Ages drift after the demo is first loaded, so these children's dates of birth are set again relative to
today on every load: the due and overdue lists show the same children whatever the day.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from children.models import Child, Consent, ConsentPurpose
from children.selectors import has_consent
from learning_stories.models import ProgressCheck, ProgressCheckArea
from learning_stories.progress_check.selectors import months_after, prime_areas_for
from nursery.models import Nursery

# first name -> age in whole months today (a few days past the monthly birthday, so it holds for weeks)
AGES = {"Zara": 25, "Harry": 32, "Sienna": 31, "Evie": 33, "Mohammed": 34}

SIENNA_AREAS = {
    "CL": (True, 'Sienna talks in short sentences, asks "what\'s that?" and joins in with favourite songs.'),
    "PD": (True, "Runs, climbs the low frame on her own and is starting to use a spoon well."),
    "PSED": (False, "Sienna finds it hard to say goodbye in the morning and to share the home corner."),
}
SIENNA = {
    "strengths": "Sienna loves books and role play; she remembers the words of stories and acts them out.",
    "less_than_expected": "Settling in the morning and taking turns with friends in play.",
    "setting_plan": "Priya will greet Sienna at the door each morning and play turn-taking games with her "
    "and one friend every day.",
    "family_plan": "Practise short goodbyes with a wave at the window; play simple turn-taking games at home.",
    "parent_comments": "Thank you, this is really helpful. At home she shares with her cousin more easily, "
    "and we will try the goodbye wave.",
}
HARRY_STRENGTHS = "Harry is a keen builder and can concentrate on a tower for a long time."


def _born(months: int, today: date) -> date:
    return months_after(today, -months) - timedelta(days=5)


def load_check_demo(nursery: Nursery, today: date) -> None:
    children = {c.first_name: c for c in Child.objects.filter(nursery=nursery, first_name__in=AGES)}
    for name, months in AGES.items():
        Child.objects.filter(pk=children[name].pk).update(date_of_birth=_born(months, today))
    priya = User.objects.get(email="priya@rainbow.example")
    areas = prime_areas_for(nursery.pk)
    now = timezone.now()

    harry = children["Harry"]
    if not ProgressCheck.objects.filter(child=harry).exists():
        draft = ProgressCheck.objects.create(child=harry, written_by=priya, strengths=HARRY_STRENGTHS)
        ProgressCheckArea.objects.bulk_create(ProgressCheckArea(progress_check=draft, area=area) for area in areas)

    sienna = children["Sienna"]
    if not ProgressCheck.objects.filter(child=sienna).exists():
        paul = User.objects.get(email="paul.king@families.example")
        check = ProgressCheck.objects.create(
            child=sienna,
            status=ProgressCheck.Status.SHARED,
            checked_on=today - timedelta(days=6),
            written_by=priya,
            shared_at=now - timedelta(days=5),
            parent_commented_by=paul,
            parent_commented_at=now - timedelta(days=2),
            **SIENNA,
        )
        ProgressCheckArea.objects.bulk_create(
            ProgressCheckArea(
                progress_check=check, area=area, on_track=SIENNA_AREAS[area.code][0], summary=SIENNA_AREAS[area.code][1]
            )
            for area in areas
        )
        if not has_consent(sienna, ConsentPurpose.SHARE_WITH_HEALTH_VISITOR):
            Consent.objects.create(
                child=sienna,
                purpose=ConsentPurpose.objects.get(nursery=None, code=ConsentPurpose.SHARE_WITH_HEALTH_VISITOR),
                granted=True,
                recorded_by=paul,
            )
