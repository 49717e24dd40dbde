"""Countries, administrative areas, offices, border gates and partnerships between offices."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="directory",
    blueprints=("coordination.directory.views:bp",),
    api_blueprints=("coordination.directory.api:blp",),
    cli=("coordination.directory.cli:reference_cli",),
    navigation=(
        NavEntry("directory.offices", L_("Offices"), order=70),
        NavEntry("directory.partnerships", L_("Partnerships"), order=71),
        NavEntry("directory.gates", L_("Border gates"), order=72),
        NavEntry("directory.areas", L_("Places"), order=73),
    ),
)
