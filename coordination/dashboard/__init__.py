"""The start page: the user's office at a glance."""
