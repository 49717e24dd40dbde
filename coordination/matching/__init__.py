"""Matching people across scripts and spellings (identity verification)."""

from coordination.core.features import Feature

feature = Feature(
    name="matching",
    blueprints=("coordination.matching.views:bp",),
    cli=("coordination.matching.cli:matching_cli",),
    setup="coordination.matching.setup:init_app",
)
