"""Panels and hooks: a page of one feature shows another feature's part, and a rule of one
feature asks another's, without importing it.

A feature registers providers in its setup function (``Feature.setup``), for the app being
built; a page asks for what is registered under a slot's name:

    register_panel("request.detail", provider, app)   # in the handovers feature's setup
    panels_for("request.detail", request, user)      # in the exchange page's view

``provider(obj, user)`` returns a :class:`Panel` (a template and its context, or HTML
already rendered) or None when it has nothing to show to this user. The page renders the
panels in their ``order``. Hooks are the same without the HTML: ``register_hook(name,
function, app)`` and ``hooks(name)``, the functions in the order they were registered
(each slot or hook documents what its functions take and return where it is asked).

Registrations live in ``app.extensions``: each app built (the tests build many) has its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

EXTENSION_KEY = "coordination.panels"


@dataclass(frozen=True)
class Panel:
    """A part of a page: ``template`` rendered with ``context``, or ``html`` as it is."""

    template: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    html: Markup | None = None
    order: int = 100

    def render(self, **extra: Any) -> Markup:
        """The panel's HTML; ``extra`` adds to the context (a panel shown once per row).

        The template sees the app's template globals (``_``, ``url_for``, filters) and its
        own context, not the page's context processors (the menu, ``current_user``): a
        panel shown once per row of a long list must not run them again for each row.
        """
        if self.html is not None:
            return self.html
        if self.template is None:
            raise ValueError("a panel needs a template or its HTML")
        template = current_app.jinja_env.get_template(self.template)
        # Rendered by the app's environment, which escapes what .html templates print.
        return Markup(template.render(**self.context, **extra))  # noqa: S704


def _registered(app: Flask) -> dict[str, list[Callable]]:
    return app.extensions.setdefault(EXTENSION_KEY, {})


def register_hook(name: str, function: Callable, app: Flask) -> None:
    """Add ``function`` to the hook ``name`` of ``app`` (once, however often called)."""
    functions = _registered(app).setdefault(name, [])
    if function not in functions:
        functions.append(function)


def hooks(name: str) -> list[Callable]:
    """The functions registered under ``name`` in the current app, in registration order."""
    return list(_registered(current_app).get(name, ()))


def register_panel(slot: str, provider: Callable[[Any, Any], Panel | None], app: Flask) -> None:
    register_hook(f"panel:{slot}", provider, app)


def panels_for(slot: str, obj: Any, user: Any) -> list[Panel]:
    """The panels the providers of ``slot`` give for ``obj`` and ``user``, in order."""
    given = (provider(obj, user) for provider in hooks(f"panel:{slot}"))
    return sorted((panel for panel in given if panel is not None), key=lambda p: p.order)
