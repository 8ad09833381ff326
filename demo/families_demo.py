"""The demo's family records: All about me, consents, a change at home, emergency contacts, a confidential note.

Called at the end of ``load_demo``; each record is created only when missing, so loading twice changes nothing.
"""

from children.models import (
    AllAboutMe,
    Child,
    ConfidentialNote,
    Consent,
    ConsentPurpose,
    EmergencyContact,
    HomeChange,
)
from nursery.models import Nursery

ABOUT = {
    ("Ava", "Taylor"): {
        "likes": "Painting, the sandpit and stories about space",
        "dislikes": "Loud hand dryers",
        "interests": "Planets and rockets; counting everything",
        "sleep_routine": "No nap at home now; a quiet story after lunch helps",
        "feeding_routine": "Eats well; drinks water from an open cup",
        "toileting_routine": "Uses the toilet; may need a reminder before going outside",
        "home_languages": "English",
        "allergies": "Peanuts and tree nuts: anaphylaxis. EpiPen in her bag and in the office.",
        "medical_needs": "Allergy care plan on file (see office).",
    },
    ("Zara", "Ahmed"): {
        "likes": "Bubbles, singing and the home corner",
        "dislikes": "Having her hair brushed",
        "sleep_routine": "Naps about 12:30 for an hour, with Bunny",
        "feeding_routine": "Halal meals; likes to feed herself",
        "toileting_routine": "Nappies; starting to sit on the potty at home",
        "comforters": "Bunny, a grey knitted rabbit",
        "home_languages": "English and Bengali (Grandma speaks only Bengali)",
        "dietary_needs": "Halal",
    },
    ("Leo", "Taylor"): {
        "likes": "Peekaboo and soft books",
        "sleep_routine": "Two naps: about 9:30 and 13:30, in a sleeping bag",
        "feeding_routine": "Bottle of formula at 11:00; purées and soft finger foods",
        "toileting_routine": "Nappies; cream for eczema at each change",
        "comforters": "Dummy for sleep only",
        "home_languages": "English",
        "dietary_needs": "Dairy-free",
        "medical_needs": "Eczema: emollient cream in his bag",
    },
}

EMERGENCY_CONTACTS = {
    ("Ava", "Taylor"): [("Jean Taylor", "Grandmother", "07700 900123", True)],
    ("Leo", "Taylor"): [("Jean Taylor", "Grandmother", "07700 900123", True)],
    ("Zara", "Ahmed"): [
        ("Rahima Ahmed", "Grandmother", "07700 900456", True),
        ("Omar Ahmed", "Uncle", "07700 900789", False),
    ],
}

OWN, OTHERS = ConsentPurpose.PHOTOS_OWN_STORY, ConsentPurpose.PHOTOS_OTHERS_STORIES


def load_families(nursery: Nursery) -> None:
    children = {(c.first_name, c.last_name): c for c in Child.objects.filter(nursery=nursery)}
    ava, zara, leo = children["Ava", "Taylor"], children["Zara", "Ahmed"], children["Leo", "Taylor"]

    for key, answers in ABOUT.items():
        AllAboutMe.objects.get_or_create(child=children[key], defaults=answers)

    for key, contacts in EMERGENCY_CONTACTS.items():
        for priority, (name, relationship, phone, may_collect) in enumerate(contacts, start=1):
            EmergencyContact.objects.get_or_create(
                child=children[key],
                name=name,
                defaults={
                    "relationship": relationship,
                    "phone": phone,
                    "may_collect": may_collect,
                    "priority": priority,
                },
            )

    # Consents: Ava all given, Zara only her own story, Leo never asked, everyone else photos OK.
    purposes = {p.code: p for p in ConsentPurpose.objects.filter(nursery=None)}
    decisions = {ava.pk: dict.fromkeys(purposes, True), zara.pk: {OWN: True, OTHERS: False}, leo.pk: {}}
    for child in children.values():
        if child.consents.exists():
            continue
        parent = child.guardianships.select_related("user").first()
        for code, granted in decisions.get(child.pk, {OWN: True, OTHERS: True}).items():
            Consent.objects.create(
                child=child, purpose=purposes[code], granted=granted, recorded_by=parent.user if parent else None
            )

    jess = zara.guardianships.get().user
    if not zara.home_changes.exists():
        HomeChange.objects.create(
            child=zara,
            proposed_by=jess,
            changes={
                "toileting_routine": {
                    "from": ABOUT["Zara", "Ahmed"]["toileting_routine"],
                    "to": "Pull-ups in the day now; she tells us when she needs the potty",
                }
            },
            note="She has started saying 'wee wee' when she needs to go.",
        )
    if not zara.confidential_notes.exists():
        ConfidentialNote.objects.create(
            child=zara,
            written_by=jess,
            source=ConfidentialNote.Source.FAMILY,
            text="Her dad has moved out this month. Zara may be unsettled; please let me know how she is.",
        )
