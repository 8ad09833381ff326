"""The learning stories app: the EYFS framework as data, observations and the story, assessments, next
steps and the progress check at two."""
