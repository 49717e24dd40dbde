"""Uploaded files (scans, photos): checked by content, stored outside the web root, served
after the owning feature's access check."""

from coordination.core.features import Feature

feature = Feature(
    name="attachments",
    blueprints=("coordination.attachments.views:bp",),
    cli=("coordination.attachments.cli:uploads",),
    setup="coordination.attachments.setup:init_app",
)
