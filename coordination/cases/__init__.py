"""Cases and the people in them, trafficking events, documents, the missing-person register."""

from coordination.core.features import Feature, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="cases",
    blueprints=(
        "coordination.cases.views:bp",
        "coordination.cases.missing_views:bp",
        "coordination.cases.export_views:bp",
    ),
    api_blueprints=("coordination.cases.api:blp",),
    navigation=(
        NavEntry("cases.index", L_("Cases"), order=20),
        NavEntry("missing.index", L_("Missing persons"), order=30),
    ),
    search_tables={"people": "people_search", "missing_person_reports": "missing_search"},
    hand_written_indexes=frozenset({"ix_cases_office_opened"}),
    setup="coordination.cases.setup:init_app",
)
