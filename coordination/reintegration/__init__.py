"""After the gate: referral to a centre, intake, support plan and services, follow-up visits,
closure."""

from coordination.core.features import Feature

feature = Feature(name="reintegration")
