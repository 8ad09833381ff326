"""Children and families: the child's record; the day at the nursery (``day/``); support plans
(``support_plans/``); who may collect a child (``collection/``)."""
