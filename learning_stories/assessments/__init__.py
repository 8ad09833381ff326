"""Assessment points, each child's judgements against the framework, and the trackers built on them."""
