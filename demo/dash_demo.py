"""Support plan demo: Zara (in Priya's key group) has a speech and language plan with targets, a review
due in five days and a contribution from her mum, Jess. Priya's dashboard already shows gaps: several of
her key children have no observation in the demo's story.

Idempotent: the plan is found by child and title, its targets by text, the contribution by its author.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from children.models import Child
from children.support_plans.models import ParentContribution, SupportPlan, SupportTarget
from nursery.models import Nursery

PLAN_TITLE = "Speech and language support"
REVIEW_IN_DAYS = 5
TARGETS = [
    (
        "Ask for a toy or snack using two words, e.g. 'more apple'.",
        "Offer choices and wait; repeat back her words with one more added.",
        "Snack time and the book corner, every session.",
        "At mealtimes and bath time.",
        "Speech and language therapist visits once a month and sets new words.",
    ),
    (
        "Join in with a familiar song with actions in a small group.",
        "Small group of three with songs she knows from home.",
        "Circle time each morning.",
        "Sing the same songs at home.",
        "",
    ),
]


def load_dash_demo(nursery: Nursery, today: date | None = None) -> SupportPlan:
    today = today or timezone.localdate()
    zara = Child.objects.get(nursery=nursery, first_name="Zara", last_name="Ahmed")
    priya = User.objects.get(email="priya@rainbow.example")
    plan, _ = SupportPlan.objects.get_or_create(
        child=zara,
        title=PLAN_TITLE,
        defaults={
            "needs": "Zara understands a lot and follows routines, but says only a few single words and gets "
            "upset when she cannot make herself understood. Her mum has noticed the same at home.",
            "started_on": today - timedelta(weeks=5),
            "next_review_on": today + timedelta(days=REVIEW_IN_DAYS),
            "created_by": priya,
        },
    )
    for what, strategies, setting, family, others in TARGETS:
        SupportTarget.objects.get_or_create(
            plan=plan,
            what=what,
            defaults={"strategies": strategies, "setting_does": setting, "family_does": family, "others_do": others},
        )
    jess = User.objects.get(email="jess.ahmed@families.example")
    ParentContribution.objects.get_or_create(
        plan=plan,
        author=jess,
        defaults={
            "views": "She is trying more words at home and is less cross when we wait for her.",
            "works_at_home": "Singing 'Wind the bobbin up' and giving her two choices at breakfast.",
        },
    )
    return plan
