"""After the gate: referral to a centre, intake, support plan and services, follow-up visits,
closure."""

from coordination.core.features import Feature, Job, NavEntry
from coordination.i18n import L_

feature = Feature(
    name="reintegration",
    blueprints=("coordination.reintegration.views:bp",),
    api_blueprints=("coordination.reintegration.api:blp",),
    search_tables={"reintegration_referrals": "referrals_search"},
    navigation=(
        NavEntry(
            "reintegration.caseload",
            L_("Reintegration"),
            order=45,
            visible="coordination.reintegration.policies:sees_reintegration",
        ),
    ),
    jobs=(
        Job(
            "reintegration.remind_referrals",
            "coordination.reintegration.tasks:remind_unanswered_referrals",
            "Remind a centre of a referral it has not answered within 3 days (once).",
            every_seconds=3600,
            grace_seconds=3600,
        ),
        Job(
            "reintegration.remind_visits",
            "coordination.reintegration.tasks:remind_visits",
            "Remind a centre of follow-up visits due within 7 days, and of missed ones (once "
            "each).",
            every_seconds=3600,
            grace_seconds=3600,
        ),
        Job(
            "reintegration.remind_limits",
            "coordination.reintegration.tasks:remind_support_limits",
            "Remind a centre of essential needs reaching 120 days within 14 days without an "
            "extension decision (once per service).",
            every_seconds=3600,
            grace_seconds=3600,
        ),
    ),
    setup="coordination.reintegration.setup:init_app",
    demo="coordination.reintegration.demo:add_demo_records",
)
