"""The start page: the user's office at a glance."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="dashboard",
    blueprints=("coordination.dashboard.views:bp",),
    navigation=(NavEntry("dashboard.index", L_("Dashboard"), order=0),),
)
