"""The Leuven scales of wellbeing and involvement (Ferre Laevers, Leuven University), 1 to 5.

The descriptions are KeyStory's own short paraphrases of the published signals at each level, in words a
parent understands; they are shown beside each choice so a rating means the same to every practitioner.
"""

from dataclasses import dataclass

EXPLANATION = (
    "The Leuven scales are two simple 1 to 5 ratings many nurseries use: wellbeing is how at ease and happy "
    "a child seems, involvement is how absorbed they are in what they are doing. Low scores that repeat are "
    "a sign to look closer and talk with the family. Rate an observation of one child only: a rating is "
    "about one child, so it can't be given when several children are tagged."
)

ONE_CHILD_ONLY = (
    "Wellbeing and involvement can only be rated when one child is tagged: a rating is about one child. "
    "Set both to \u201cNot rated\u201d, or tag just the one child (and write a separate observation for the others)."
)

# A wellbeing this low on several rated observations in a row is flagged to the key person.
LOW_WELLBEING = 2
LOW_STREAK = 3


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    description: str


WELLBEING = (
    Level(
        1,
        "Extremely low",
        "Clear signs of discomfort: cries or screams, looks frightened, sad or angry, may withdraw or lash out.",
    ),
    Level(2, "Low", "Signs of discomfort are there but less strong, or the child seems ill at ease some of the time."),
    Level(3, "Moderate", "Neutral: neither clearly upset nor clearly content; little sign of pleasure or distress."),
    Level(4, "High", "Mostly content and relaxed, with some signs of pleasure; at ease with people around."),
    Level(
        5,
        "Extremely high",
        "Enjoys themselves, relaxed, lively and open, full of energy and self-confidence; shows real pleasure.",
    ),
)

INVOLVEMENT = (
    Level(
        1,
        "Extremely low",
        "The activity is simple, repetitive and passive; the child seems absent, wanders or stares, shows no energy.",
    ),
    Level(2, "Low", "Some activity, but often interrupted: the child is easily distracted and does little thinking."),
    Level(3, "Moderate", "Busy most of the time, but on autopilot: attention comes and goes, little real effort."),
    Level(4, "High", "Moments of real concentration and effort; the child is engaged and not easily distracted."),
    Level(
        5,
        "Extremely high",
        "Completely absorbed and persistent, concentrating hard, working at the edge of what they can do.",
    ),
)

WELLBEING_CHOICES = [(level.value, f"{level.value}: {level.name}") for level in WELLBEING]
INVOLVEMENT_CHOICES = [(level.value, f"{level.value}: {level.name}") for level in INVOLVEMENT]
