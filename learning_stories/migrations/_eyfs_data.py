"""The EYFS framework data loaded by migration 0002 (frozen with it: a later change is a new framework version).

The areas and the 17 early learning goals are statutory (EYFS statutory framework, 2024). The statements
are KeyStory's own short paraphrases of what children typically show at each age, written in the spirit
of Development Matters and Birth to 5 Matters, not copied from them.
"""

CL, PD, PSED, LIT, MATHS, UW, EAD = "CL", "PD", "PSED", "L", "M", "UW", "EAD"

# code, name, kind, explanation for parents, aspects [(name, explanation)]
AREAS = [
    (
        CL,
        "Communication and Language",
        "prime",
        "How your child listens, understands what they hear and talks: the base for all their other learning.",
        [
            (
                "Listening, Attention and Understanding",
                "Listening to others, paying attention and understanding what is said, including questions.",
            ),
            ("Speaking", "Using words and sentences to share ideas, feelings and what has happened."),
        ],
    ),
    (
        PD,
        "Physical Development",
        "prime",
        "How your child moves, gets stronger and controls their body, from big movements like running and "
        "climbing to small ones like holding a spoon or a pencil.",
        [
            ("Gross Motor Skills", "Big movements: balance, running, jumping, climbing and moving safely."),
            ("Fine Motor Skills", "Small, careful hand movements: using cutlery, scissors, pencils and brushes."),
        ],
    ),
    (
        PSED,
        "Personal, Social and Emotional Development",
        "prime",
        "How your child feels about themselves, understands their feelings, makes friends and gets along "
        "with others.",
        [
            ("Self-Regulation", "Understanding their own feelings, waiting, and calming down when upset."),
            ("Managing Self", "Confidence, trying new things, following rules, and looking after themselves."),
            ("Building Relationships", "Making friends, playing together and getting on with adults and children."),
        ],
    ),
    (
        LIT,
        "Literacy",
        "specific",
        "How your child enjoys books and stories, begins to read, and makes marks that grow into writing.",
        [
            ("Comprehension", "Understanding and talking about stories, rhymes and information books."),
            ("Word Reading", "Linking sounds to letters and reading simple words and sentences."),
            ("Writing", "From marks and scribbles to letters, words and short sentences."),
        ],
    ),
    (
        MATHS,
        "Mathematics",
        "specific",
        "How your child understands numbers, counting, shapes, sizes and patterns in everyday play.",
        [
            ("Number", "Knowing how many, counting, and seeing how numbers are made of smaller ones."),
            ("Numerical Patterns", "Comparing amounts, spotting patterns, and counting beyond ten."),
        ],
    ),
    (
        UW,
        "Understanding the World",
        "specific",
        "How your child makes sense of people, places, nature and the world around them, now and in the past.",
        [
            ("Past and Present", "Their own life story, family history, and how things were in the past."),
            ("People, Culture and Communities", "Their community, other people's lives, cultures and places."),
            ("The Natural World", "Nature, animals, plants, the seasons and how things change."),
        ],
    ),
    (
        EAD,
        "Expressive Arts and Design",
        "specific",
        "How your child uses imagination, art, music, dance, building and pretend play to express ideas.",
        [
            ("Creating with Materials", "Making things with paint, dough, junk, blocks and tools."),
            ("Being Imaginative and Expressive", "Pretend play, stories, singing, music and dance."),
        ],
    ),
]

# name, explanation, [(Development Matters part, Birth to 5 Matters part, explanation)]
CHARACTERISTICS = [
    (
        "Playing and exploring",
        "Engagement: how your child finds things out and tries them for themselves.",
        [
            ("Finding out and exploring", "Finding out and exploring", "Curious about objects, events and people."),
            ("Playing with what they know", "Playing with what they know", "Using what they know in their play."),
            (
                "Being willing to have a go",
                "Being willing to 'have a go'",
                "Trying new things, taking a risk, learning from mistakes.",
            ),
        ],
    ),
    (
        "Active learning",
        "Motivation: how your child keeps going and concentrates.",
        [
            (
                "Being involved and concentrating",
                "Being involved and concentrating",
                "Focusing on an activity for a while.",
            ),
            ("Keeping on trying", "Keeping on trying", "Not giving up when something is hard."),
            (
                "Enjoying achieving what they set out to do",
                "Enjoying achieving what they set out to do",
                "Pride in what they did, not just praise from others.",
            ),
        ],
    ),
    (
        "Creating and thinking critically",
        "Thinking: how your child has ideas, makes links and solves problems.",
        [
            ("Having their own ideas", "Having their own ideas", "Thinking of new ways to do things."),
            (
                "Making links",
                "Using what they already know to learn new things",
                "Noticing patterns and connecting ideas.",
            ),
            (
                "Working with ideas",
                "Choosing ways to do things and finding new ways",
                "Planning, checking how it is going and changing strategy.",
            ),
        ],
    ),
]

DM_BANDS = [
    ("Birth to three", 0, 36, "Babies, toddlers and young children up to their third birthday."),
    ("3 and 4-year-olds", 36, 60, "Children from their third birthday until they start school."),
    ("Children in reception", 48, 72, "Children in their reception year at school, usually aged 4 to 5."),
]

B2FM_RANGES = [
    ("Range 1", 0, 12, "Roughly birth to 12 months."),
    ("Range 2", 8, 20, "Roughly 8 to 20 months."),
    ("Range 3", 16, 26, "Roughly 16 to 26 months."),
    ("Range 4", 22, 36, "Roughly 22 to 36 months."),
    ("Range 5", 34, 48, "Roughly 34 to 48 months."),
    ("Range 6", 46, None, "Roughly 46 months until the end of the reception year."),
]

LAU = "Listening, Attention and Understanding"
SPK = "Speaking"
GM = "Gross Motor Skills"
FM = "Fine Motor Skills"
SR = "Self-Regulation"
MS = "Managing Self"
BR = "Building Relationships"
COMP = "Comprehension"
WR = "Word Reading"
WRI = "Writing"
NUM = "Number"
NP = "Numerical Patterns"
PP = "Past and Present"
PCC = "People, Culture and Communities"
NW = "The Natural World"
CWM = "Creating with Materials"
BIE = "Being Imaginative and Expressive"

# band name -> area code -> [(aspect, statement)]
DM_STATEMENTS = {
    "Birth to three": {
        CL: [
            (LAU, "Turns towards familiar voices and sounds, and watches faces closely."),
            (LAU, "Understands simple words and phrases in context, such as \"coat on\" or \"where's teddy?\"."),
            (SPK, "Babbles, then uses single words, then puts two or three words together."),
        ],
        PD: [
            (GM, "Rolls, sits, crawls, pulls up to stand and begins to walk."),
            (GM, "Climbs, runs, kicks a ball and pushes or pulls toys along."),
            (FM, "Reaches for, grasps and passes objects from one hand to the other."),
            (FM, "Makes marks with chunky crayons and turns the pages of board books."),
        ],
        PSED: [
            (BR, "Looks to their key person and familiar adults for comfort and reassurance."),
            (SR, "Begins to show big feelings, and calms with an adult's help."),
            (MS, "Wants to do things for themselves, such as feeding or helping to get dressed."),
            (BR, "Plays alongside other children and starts to notice how they feel."),
        ],
        LIT: [
            (COMP, "Enjoys sharing books, songs and rhymes with a familiar adult."),
            (COMP, "Joins in with favourite rhymes and phrases repeated in stories."),
            (WRI, "Makes marks and says what they are, for example \"that's mummy\"."),
        ],
        MATHS: [
            (NUM, "Notices when something is added to or taken away from a small group."),
            (NUM, "Uses number words in play, though not always in order."),
            (NP, "Compares sizes and amounts using words like \"big\", \"little\" and \"more\"."),
            (NP, "Completes simple inset puzzles and stacks things by size."),
        ],
        UW: [
            (NW, "Explores sand, water, mud and other materials with hands and feet."),
            (PCC, "Takes an interest in the people who matter to them."),
            (PP, "Remembers familiar routines and knows what usually comes next."),
            (NW, "Shows interest in animals, plants and the weather outdoors."),
        ],
        EAD: [
            (CWM, "Explores paint, dough and other materials by touching, looking and smelling."),
            (BIE, "Moves and makes sounds in response to music and rhythm."),
            (BIE, "Begins simple pretend play, such as feeding a doll or talking on a toy phone."),
        ],
    },
    "3 and 4-year-olds": {
        CL: [
            (LAU, "Listens to longer stories and remembers much of what happens."),
            (LAU, "Follows an instruction with two parts, such as \"get your coat and wait by the door\"."),
            (SPK, "Uses longer sentences and asks lots of \"why?\" questions."),
            (SPK, "Talks about what happened earlier and what might happen next."),
        ],
        PD: [
            (GM, "Hops, stands on one leg and climbs with growing confidence."),
            (GM, "Uses big arm and body movements to dance, wave ribbons or paint."),
            (FM, "Uses one-handed tools such as scissors and spoons with growing control."),
            (FM, "Holds a pencil in a comfortable grip to draw lines and circles."),
        ],
        PSED: [
            (SR, "Names their feelings with words like happy, sad, cross or worried."),
            (MS, "Chooses activities and what they need for them, asking for help when needed."),
            (BR, "Plays with one or more other children and builds on each other's ideas."),
            (MS, "Follows simple rules more often and begins to understand why they matter."),
        ],
        LIT: [
            (COMP, "Knows that print carries meaning and, in English, is read from left to right."),
            (WR, "Notices and plays with rhymes and the first sounds of words."),
            (WRI, "Writes some letters of their name, or letters that matter to them."),
        ],
        MATHS: [
            (NUM, "Counts a small group of objects, saying one number for each one."),
            (NUM, "Sees how many are in a small group (up to three) without counting."),
            (NP, "Notices and carries on simple patterns, such as red, blue, red, blue."),
            (NP, "Talks about flat and solid shapes using everyday and mathematical words."),
        ],
        UW: [
            (PCC, "Talks about their family and the people in their community."),
            (NW, "Explores how things work and notices changes, such as ice melting."),
            (PP, "Begins to understand that they, and others, have grown and changed over time."),
            (PCC, "Is curious about different jobs and ways of living."),
        ],
        EAD: [
            (CWM, "Explores materials freely and decides what to make with them."),
            (BIE, "Uses one object to stand for another in pretend play, like a block for a phone."),
            (BIE, "Sings whole songs from memory and plays instruments with more control."),
        ],
    },
    "Children in reception": {
        CL: [
            (LAU, "Listens carefully to rhymes and songs and notices how they sound."),
            (LAU, "Asks questions to find out more and to check they have understood."),
            (SPK, "Learns and uses new words, and explains ideas in full sentences."),
        ],
        PD: [
            (GM, "Runs, jumps, hops, dances and climbs with control and care for others."),
            (GM, "Has the strength and balance to sit well at a table and to move safely."),
            (FM, "Uses tools confidently, including a pencil held for writing."),
        ],
        PSED: [
            (SR, "Sees themselves as valued and shows their feelings in ways that suit the moment."),
            (MS, "Looks after their own needs, such as the toilet, getting dressed and washing hands."),
            (BR, "Builds warm, respectful friendships with other children and adults."),
            (SR, "Keeps going when things are hard and bounces back after a setback."),
        ],
        LIT: [
            (COMP, "Retells stories in their own words and uses new words from them."),
            (WR, "Says the sounds for letters and blends them to read simple words."),
            (WRI, "Forms letters clearly and spells words by sounding them out."),
        ],
        MATHS: [
            (NUM, "Counts objects, actions and sounds, and matches numerals to amounts up to 10."),
            (NUM, "Knows how numbers up to 10 are made, such as 5 being 4 and 1, or 3 and 2."),
            (NP, "Compares numbers and amounts and says which is more or fewer."),
            (NP, "Turns and fits shapes together to make new shapes."),
        ],
        UW: [
            (PP, "Talks about the lives of the people around them and the jobs they do."),
            (PCC, "Notices what is the same and what is different between their life and other people's."),
            (NW, "Describes what they see, hear and feel when exploring outdoors."),
            (NW, "Understands how the seasons change the natural world around them."),
        ],
        EAD: [
            (CWM, "Tries out and improves different art techniques to show ideas and feelings."),
            (BIE, "Makes up, changes and retells stories with friends and adults."),
            (BIE, "Sings alone or in a group, trying to keep to the tune."),
        ],
    },
}

B2FM_STATEMENTS = {
    "Range 1": {
        CL: [
            (LAU, "Turns towards a familiar voice and is calmed by it."),
            (SPK, "Coos, babbles and takes turns in \"conversations\" with an adult."),
        ],
        PD: [
            (GM, "Lifts their head, rolls over and begins to sit with support."),
            (FM, "Reaches out, grasps and shakes toys."),
        ],
        PSED: [
            (BR, "Forms a close bond with their key person and looks for them when unsure."),
            (SR, "Is soothed by a familiar adult's touch and voice."),
        ],
        LIT: [
            (COMP, "Enjoys looking at picture books and hearing rhymes with an adult."),
            (WRI, "Makes marks with their hands in food or water."),
        ],
        MATHS: [
            (NUM, "Looks for a toy that has been hidden."),
            (NP, "Handles objects of different shapes and sizes."),
        ],
        UW: [
            (NW, "Explores objects with mouth, hands and feet."),
            (PCC, "Recognises and responds to familiar people."),
        ],
        EAD: [
            (CWM, "Explores sounds and textures by banging, scrunching and shaking."),
            (BIE, "Moves their body in response to music and voices."),
        ],
    },
    "Range 2": {
        CL: [
            (LAU, "Understands simple words in context, such as their name, \"bye-bye\" and \"milk\"."),
            (SPK, "Uses first words and gestures such as pointing to share an interest."),
        ],
        PD: [
            (GM, "Pulls to stand, walks holding on to furniture and takes first steps."),
            (FM, "Picks up small objects between thumb and finger."),
        ],
        PSED: [
            (BR, "Uses their key person as a safe base to explore from."),
            (MS, "Tries to help with dressing, such as pushing an arm into a sleeve."),
        ],
        LIT: [
            (COMP, "Points to pictures and shows interest in favourite books."),
            (WRI, "Makes marks with fingers in sand, paint or food."),
        ],
        MATHS: [
            (NUM, "Shows they want \"more\", by signing or reaching."),
            (NP, "Fits objects into containers and explores what fits where."),
        ],
        UW: [
            (NW, "Is curious about what happens when they drop, push or bang things."),
            (PCC, "Copies what familiar people around them do."),
        ],
        EAD: [
            (CWM, "Enjoys the feel and mess of paint, dough and water."),
            (BIE, "Joins in with the actions of familiar songs."),
        ],
    },
    "Range 3": {
        CL: [
            (LAU, "Follows simple instructions, such as \"get your shoes\"."),
            (SPK, "Uses more and more words and begins to put two together."),
        ],
        PD: [
            (GM, "Walks confidently, squats to pick things up and climbs on low equipment."),
            (FM, "Makes marks with crayons using a whole-hand grip."),
        ],
        PSED: [
            (SR, "Shows strong feelings and begins to accept comfort from adults they know."),
            (MS, "Shows what they want to do themselves: \"me do it\"."),
        ],
        LIT: [
            (COMP, "Fills in missing words in familiar rhymes."),
            (WRI, "Scribbles with enjoyment, making circles and lines."),
        ],
        MATHS: [
            (NUM, "Says some number words in play."),
            (NP, "Stacks blocks and notices when a tower falls."),
        ],
        UW: [
            (PP, "Remembers where things are kept and what happens in familiar routines."),
            (NW, "Enjoys being outdoors, noticing birds, puddles and leaves."),
        ],
        EAD: [
            (CWM, "Builds simple towers and lines with blocks."),
            (BIE, "Begins pretend play using everyday objects, such as a phone or a cup."),
        ],
    },
    "Range 4": {
        CL: [
            (LAU, "Understands questions that start with who, what and where."),
            (SPK, "Uses simple sentences and begins to ask questions."),
        ],
        PD: [
            (GM, "Runs, jumps with two feet together and kicks a large ball."),
            (FM, "Turns pages one at a time and uses a spoon and fork more skilfully."),
        ],
        PSED: [
            (BR, "Plays alongside, then with, other children, sometimes sharing."),
            (MS, "Begins to notice when they need the toilet."),
        ],
        LIT: [
            (COMP, "Has favourite books and asks for them again and again."),
            (WRI, "Says what the marks they make mean."),
        ],
        MATHS: [
            (NUM, "Knows a group changes in size when something is added or taken away."),
            (NP, "Notices simple shapes and patterns in pictures and around them."),
        ],
        UW: [
            (PCC, "Talks about their family and what they do at home."),
            (NW, "Explores cause and effect, such as pressing buttons on toys."),
        ],
        EAD: [
            (CWM, "Joins materials together to see what they can make."),
            (BIE, "Acts out everyday experiences in role play."),
        ],
    },
    "Range 5": {
        CL: [
            (LAU, "Listens to stories with growing attention and remembers what happened."),
            (SPK, "Uses longer sentences and talks about past and future events."),
        ],
        PD: [
            (GM, "Pedals a tricycle and climbs with growing confidence."),
            (FM, "Snips with scissors and draws with some control."),
        ],
        PSED: [
            (SR, "Talks about how they and others feel."),
            (BR, "Plays with friends, taking turns and agreeing simple rules."),
        ],
        LIT: [
            (WR, "Notices rhymes and the first sounds of words."),
            (WRI, "Makes shapes like letters and may write part of their name."),
        ],
        MATHS: [
            (NUM, "Counts up to five objects, touching each one."),
            (NP, "Uses words like bigger, heavier and full when comparing."),
        ],
        UW: [
            (PP, "Talks about things they did in the past, such as a birthday."),
            (NW, "Asks questions about why things happen."),
        ],
        EAD: [
            (CWM, "Chooses materials and tools for what they want to make."),
            (BIE, "Makes up simple stories and characters in play."),
        ],
    },
    "Range 6": {
        CL: [
            (LAU, "Follows a conversation and answers what others say."),
            (SPK, "Explains their ideas using words such as \"because\"."),
        ],
        PD: [
            (GM, "Moves with coordination and control, changing speed and direction."),
            (FM, "Holds a pencil in a near-adult grip to draw and write."),
        ],
        PSED: [
            (MS, "Gets dressed and undressed and uses the toilet on their own."),
            (SR, "Thinks about what might happen before acting, with some support."),
        ],
        LIT: [
            (WR, "Links sounds to letters and blends them to read simple words."),
            (WRI, "Writes their name and some simple words."),
        ],
        MATHS: [
            (NUM, "Recognises numerals and matches them to amounts up to ten."),
            (NP, "Spots, carries on and makes up their own repeating patterns."),
        ],
        UW: [
            (PCC, "Knows that families, communities and traditions differ and have things in common."),
            (NW, "Talks about changes they notice in the seasons and in living things."),
        ],
        EAD: [
            (CWM, "Plans and makes models, changing them as they go."),
            (BIE, "Sings, makes music and dances, and shares performances with others."),
        ],
    },
}

FRAMEWORKS = [
    {
        "code": "development-matters",
        "version": "2024",
        "name": "EYFS 2024 — Development Matters",
        "description": "The Department for Education's non-statutory guidance for the Early Years Foundation "
        "Stage, with three age bands.",
        "band_term": "band",
        "is_default": True,
        "order": 10,
        "part_wording": 0,
        "bands": DM_BANDS,
        "statements": DM_STATEMENTS,
    },
    {
        "code": "birth-to-5-matters",
        "version": "2021",
        "name": "Birth to 5 Matters",
        "description": "Guidance written by the early years sector for the Early Years Foundation Stage, with six "
        "overlapping age ranges.",
        "band_term": "range",
        "is_default": False,
        "order": 20,
        "part_wording": 1,
        "bands": B2FM_RANGES,
        "statements": B2FM_STATEMENTS,
    },
]


def load(apps) -> None:
    """Create both frameworks with their areas, aspects, characteristics, bands and statements, if missing."""
    Framework = apps.get_model("learning_stories", "Framework")
    Area = apps.get_model("learning_stories", "Area")
    Aspect = apps.get_model("learning_stories", "Aspect")
    Characteristic = apps.get_model("learning_stories", "Characteristic")
    CharacteristicPart = apps.get_model("learning_stories", "CharacteristicPart")
    Band = apps.get_model("learning_stories", "Band")
    Statement = apps.get_model("learning_stories", "Statement")

    for spec in FRAMEWORKS:
        if Framework.objects.filter(code=spec["code"], version=spec["version"]).exists():
            continue  # loaded already: a framework version is never rewritten
        framework = Framework.objects.create(
            code=spec["code"],
            version=spec["version"],
            name=spec["name"],
            description=spec["description"],
            band_term=spec["band_term"],
            is_default=spec["is_default"],
            order=spec["order"],
        )
        areas, aspects = {}, {}
        for area_order, (code, name, kind, explanation, area_aspects) in enumerate(AREAS):
            area = Area.objects.create(
                framework=framework, code=code, name=name, kind=kind, explanation=explanation, order=area_order
            )
            areas[code] = area
            for aspect_order, (aspect_name, aspect_explanation) in enumerate(area_aspects):
                aspects[code, aspect_name] = Aspect.objects.create(
                    area=area, name=aspect_name, explanation=aspect_explanation, order=aspect_order
                )
        wording = spec["part_wording"]
        for c_order, (c_name, c_explanation, parts) in enumerate(CHARACTERISTICS):
            characteristic = Characteristic.objects.create(
                framework=framework, name=c_name, explanation=c_explanation, order=c_order
            )
            for p_order, part in enumerate(parts):
                other = part[1 - wording]
                CharacteristicPart.objects.create(
                    characteristic=characteristic,
                    name=part[wording],
                    explanation=part[2],
                    also_known_as=other if other != part[wording] else "",
                    order=p_order,
                )
        for b_order, (b_name, low, high, b_explanation) in enumerate(spec["bands"]):
            band = Band.objects.create(
                framework=framework,
                name=b_name,
                min_months=low,
                max_months=high,
                explanation=b_explanation,
                order=b_order,
            )
            for code, lines in spec["statements"].get(b_name, {}).items():
                Statement.objects.bulk_create(
                    Statement(area=areas[code], aspect=aspects[code, aspect], band=band, text=text, order=s_order)
                    for s_order, (aspect, text) in enumerate(lines)
                )
