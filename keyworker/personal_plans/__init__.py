"""Personal plans: each child's short wellbeing, care and learning plan, made with the family, one version a term.

Separate from SEN support plans (``children/support_plans/``), which are for children who need extra help.
"""
