"""Handovers of victims at the border gate, and their signed records."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="handovers",
    blueprints=("coordination.handovers.views:bp",),
    navigation=(NavEntry("handovers.index", L_("Handovers"), order=40),),
    setup="coordination.handovers.setup:init_app",
)
