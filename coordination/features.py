"""The app's features, in layer order (lowest first): the only list a new feature joins.

Each names the package whose ``__init__.py`` declares ``feature`` (see core/features.py):
its blueprints, API, commands, jobs, menu entries, searchable tables. The factory, the API,
the command line, the navigation and the job runner loop over this list.
"""

from __future__ import annotations

from coordination import (
    attachments,
    audit,
    auth,
    calendar,
    cases,
    contacts,
    dashboard,
    directory,
    exchange,
    handovers,
    htcds,
    matching,
    meetings,
    notifications,
    patrols,
    reintegration,
    reports,
    scheduler,
)

FEATURES = (
    directory.feature,
    auth.feature,
    audit.feature,
    notifications.feature,
    attachments.feature,
    scheduler.feature,
    calendar.feature,
    cases.feature,
    exchange.feature,
    matching.feature,
    handovers.feature,
    reintegration.feature,
    patrols.feature,
    meetings.feature,
    contacts.feature,
    reports.feature,
    htcds.feature,
    dashboard.feature,
)
