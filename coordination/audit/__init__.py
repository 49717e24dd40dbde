"""A tamper-evident log of who did what to which record, when and from where."""
