"""Periodic reports for the steering committees: figures of a period and scope counted in
SQL, compared with the previous period and the same period a year before; frozen when made."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="reports",
    blueprints=("coordination.reports.views:bp",),
    api_blueprints=("coordination.reports.api:blp",),
    navigation=(
        NavEntry(
            "reports.index",
            L_("Reports"),
            order=60,
            visible="coordination.reports.policies:can_use_reports",
        ),
    ),
    jobs=(
        Job(
            "reports.generate",
            "coordination.reports.tasks:generate_period_reports",
            "Store the report of each province (and of everything) for the quarter, half-year "
            "and year just ended, once each.",
            every_seconds=3600,
            # A late run still makes the reports of the period just ended.
            grace_seconds=86400,
        ),
    ),
    setup="coordination.reports.setup:init_app",
)
