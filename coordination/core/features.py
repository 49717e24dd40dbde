"""What a feature contributes to the app, declared in its own package.

Each feature package defines ``feature = Feature(...)`` in its ``__init__.py``;
``coordination/features.py`` lists the features in order, and the factory, the API, the
command line, the navigation, the dashboard and the search loop over that list. Parts are
named by import path ("package.module:attribute") and imported only when the app is built,
so that importing a feature package stays cheap and free of cycles.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app


def resolve(path: str) -> Any:
    """The object an import path names: "coordination.exchange.views:bp"."""
    module, _sep, attribute = path.partition(":")
    value = importlib.import_module(module)
    for name in attribute.split(".") if attribute else ():
        value = getattr(value, name)
    return value


@dataclass(frozen=True)
class NavEntry:
    """A link of the main menu: shown to users for whom ``visible`` (a policy) says yes.

    ``badge`` is the import path of a function of the user giving a number shown beside the
    label when it is not zero (the unread notifications). ``order`` places the entry among
    all features' entries.
    """

    endpoint: str
    label: Any  # a lazy string (L_), translated when the menu is drawn
    order: int
    visible: str | None = None  # import path of a policy taking the user
    badge: str | None = None
    css_class: str = ""


@dataclass(frozen=True)
class Job:
    """A scheduled job: ``function`` (an import path) runs through core.jobs.run_job.

    The scheduler runs it every ``every_seconds`` (SCHEDULER_INTERVALS may change that), and
    still runs a late run within ``grace_seconds`` of its time (missed runs coalesce into one).
    """

    id: str
    function: str
    description: str = ""
    every_seconds: int = 300
    grace_seconds: int = 120


@dataclass(frozen=True)
class Feature:
    name: str
    blueprints: tuple[str, ...] = ()
    api_blueprints: tuple[str, ...] = ()
    cli: tuple[str, ...] = ()
    jobs: tuple[Job, ...] = ()
    navigation: tuple[NavEntry, ...] = ()
    # Base table -> its SQLite FTS5 trigram table (core.search).
    search_tables: Mapping[str, str] = field(default_factory=dict)
    # Indexes written by hand in migrations (expressions Alembic cannot compare).
    hand_written_indexes: frozenset[str] = frozenset()
    # Called with the app once it is built: connect signal receivers, register panels.
    setup: str | None = None
    # Adds the feature's demo records (``flask demo-data load --records``), after the
    # built-in ones: ``function(report: LoadReport) -> None``; idempotent, flushes only.
    demo: str | None = None


@dataclass
class Registry:
    """What the app's features contribute, gathered once by the factory."""

    features: tuple[Feature, ...]
    navigation: list[NavEntry]
    search_tables: dict[str, str]
    hand_written_indexes: frozenset[str]
    jobs: dict[str, Job]

    @classmethod
    def gather(cls, features: Iterable[Feature]) -> Registry:
        features = tuple(features)
        jobs: dict[str, Job] = {}
        for feature in features:
            for job in feature.jobs:
                if job.id in jobs:
                    raise ValueError(f"two features declare the job {job.id!r}")
                jobs[job.id] = job
        return cls(
            features=features,
            navigation=sorted(
                (entry for feature in features for entry in feature.navigation),
                key=lambda entry: entry.order,
            ),
            search_tables={
                base: fts for feature in features for base, fts in feature.search_tables.items()
            },
            hand_written_indexes=frozenset().union(
                *(feature.hand_written_indexes for feature in features)
            ),
            jobs=jobs,
        )


REGISTRY_KEY = "coordination.registry"


def registry(app=None) -> Registry:
    """The registry of ``app`` (default: the current app), gathered by the factory."""
    return (app or current_app).extensions[REGISTRY_KEY]


@dataclass(frozen=True)
class MenuLink:
    entry: NavEntry
    badge: int | None = None


def navigation_for(user) -> list[MenuLink]:
    """The menu entries ``user`` may open, in order, with their badges (e.g. unread count)."""
    if not getattr(user, "is_authenticated", False):
        return []
    policies: dict[str, Callable] = {}
    shown = []
    for entry in registry().navigation:
        if entry.visible is not None:
            policy = policies.setdefault(entry.visible, resolve(entry.visible))
            if not policy(user):
                continue
        shown.append(MenuLink(entry, resolve(entry.badge)(user) if entry.badge else None))
    return shown
