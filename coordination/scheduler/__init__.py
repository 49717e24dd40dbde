"""The scheduler: one process that runs the jobs the features declare (issue 12, in progress)."""
