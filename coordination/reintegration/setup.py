"""What the reintegration feature sets up in a new app: the referral a completed handover
makes, its words in the audit log and the notices, its panel on a case's page, and the
follow-up schedule's default."""

from __future__ import annotations

from flask import Flask

from coordination.audit.actions import (
    RECORD_ACCESS,
    VOCABULARY_HOOK,
    Action,
    Group,
    RecordKind,
    Vocabulary,
    record_access,
)
from coordination.core.panels import register_hook, register_panel
from coordination.core.signals import handover_completed
from coordination.i18n import L_
from coordination.notifications.describe import DESCRIBE_HOOK, KINDS_HOOK
from coordination.reintegration import operations
from coordination.reintegration.models import Referral
from coordination.reintegration.panels import case_panel
from coordination.reintegration.policies import can_view_status
from coordination.reintegration.tasks import describe_notice


def refer_handed_over_people(handover, *, record=None, actor=None, **extra) -> None:
    """A completed handover refers each person sent on to a centre (handovers' signal)."""
    for person in handover.people:
        operations.refer_from_handover(handover, person, actor=actor)


def vocabulary() -> Vocabulary:
    return Vocabulary(
        groups=(
            Group(
                "reintegration",
                L_("Reintegration"),
                (
                    Action("reintegration.refer", L_("%(actor)s referred %(record)s.")),
                    Action("reintegration.accept", L_("%(actor)s accepted %(record)s.")),
                    Action("reintegration.decline", L_("%(actor)s declined %(record)s.")),
                    Action("reintegration.view", L_("%(actor)s viewed %(record)s.")),
                    Action(
                        "reintegration.sensitive_read",
                        L_("%(actor)s read the counselling and health notes of %(record)s."),
                    ),
                    Action(
                        "reintegration.intake", L_("%(actor)s recorded the intake of %(record)s.")
                    ),
                    Action(
                        "reintegration.intake_update",
                        L_("%(actor)s changed the intake of %(record)s."),
                        diff=True,
                    ),
                    Action(
                        "reintegration.consent_withdrawn",
                        L_("%(actor)s recorded a withdrawal of consent for %(record)s."),
                    ),
                    Action(
                        "reintegration.service_add",
                        L_("%(actor)s added a service to %(record)s."),
                    ),
                    Action(
                        "reintegration.service_update",
                        L_("%(actor)s changed a service of %(record)s."),
                    ),
                    Action("reintegration.reopen", L_("%(actor)s reopened %(record)s.")),
                    Action(
                        "reintegration.end_support",
                        L_("%(actor)s recorded the end of support of %(record)s."),
                    ),
                    Action(
                        "reintegration.visit",
                        L_("%(actor)s recorded a follow-up visit of %(record)s."),
                    ),
                    Action(
                        "reintegration.visit_plan",
                        L_("%(actor)s planned a follow-up visit of %(record)s."),
                    ),
                    Action(
                        "reintegration.closure_request",
                        L_("%(actor)s asked to close %(record)s."),
                    ),
                    Action(
                        "reintegration.closure_approve",
                        L_("%(actor)s approved the closure of %(record)s."),
                    ),
                    Action(
                        "reintegration.closure_reject",
                        L_("%(actor)s did not approve the closure of %(record)s."),
                    ),
                    Action(
                        "reintegration.case_moved",
                        L_(
                            "%(actor)s's step in the person's reintegration moved %(record)s "
                            "on to its next status."
                        ),
                    ),
                    Action(
                        "reintegration.history_pdf",
                        L_("%(actor)s downloaded the support history of %(record)s."),
                    ),
                ),
            ),
        ),
        record_kinds=(
            RecordKind(
                "reintegration_referrals",
                L_("reintegration file %(ref)s"),
                "reintegration.detail",
                "referral_id",
            ),
        ),
        kind_names={"reintegration_referrals": L_("reintegration files")},
        detail_labels={
            "cause": L_("Cause"),
            "referral": L_("Reintegration file"),
            "from_office": L_("Referring office"),
            "consent_services": L_("Consent to services"),
            "consent_sharing": L_("Consent to sharing information"),
            "home_on": L_("Went home on"),
            "visits": L_("Follow-up visits (months)"),
            "service": L_("Service"),
            "visit": L_("Visit"),
            "consent": L_("Consent"),
        },
        detail_records={"referral": "reintegration_referrals", "from_office": "offices"},
    )


def notice_kinds() -> dict:
    return {
        operations.NOTICE_REFERRED: L_("A person was referred to your centre"),
        operations.NOTICE_DECLINED: L_("A centre declined a referral"),
        operations.NOTICE_UNANSWERED: L_("A referral has waited three days for an answer"),
        operations.NOTICE_VISIT_DUE: L_("A follow-up visit is due"),
        operations.NOTICE_VISIT_MISSED: L_("A follow-up visit was missed"),
        operations.NOTICE_LIMIT_NEAR: L_("Essential needs reach 120 days within two weeks"),
    }


def init_app(app: Flask) -> None:
    app.config.setdefault("REINTEGRATION_FOLLOW_UP_MONTHS", operations.DEFAULT_FOLLOW_UP_MONTHS)
    handover_completed.connect(refer_handed_over_people)
    register_hook(VOCABULARY_HOOK, vocabulary, app)
    register_hook(KINDS_HOOK, notice_kinds, app)
    register_hook(DESCRIBE_HOOK, describe_notice, app)
    register_hook(
        RECORD_ACCESS, record_access("reintegration_referrals", Referral, can_view_status), app
    )
    register_panel("case.detail", case_panel, app)
