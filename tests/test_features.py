"""The feature registry: a new feature is its package plus one line in coordination/features.py."""

from __future__ import annotations

import sys
import textwrap

import pytest

from coordination.core.features import Feature, Job, NavEntry, Registry, resolve
from coordination.features import FEATURES
from tests.conftest import login_client

PACKAGE = {
    "__init__.py": """
        from coordination.core.features import Feature, Job, NavEntry

        feature = Feature(
            name="patrols_demo",
            blueprints=("patrols_demo.views:bp",),
            cli=("patrols_demo.cli:group",),
            jobs=(Job("patrols_demo.remind", "patrols_demo.tasks:remind"),),
            navigation=(
                NavEntry(
                    "patrols_demo.index",
                    "Joint patrols (demo)",
                    order=45,
                    visible="patrols_demo.policies:may_see",
                ),
            ),
            setup="patrols_demo.setup:init_app",
        )
    """,
    "views.py": """
        from flask import Blueprint
        from flask_login import login_required

        bp = Blueprint("patrols_demo", __name__, url_prefix="/patrols-demo")


        @bp.route("/")
        @login_required
        def index():
            return "patrols of the demo feature"
    """,
    "policies.py": """
        def may_see(user):
            return user.has_role("border_guard")
    """,
    "cli.py": """
        from flask.cli import AppGroup

        group = AppGroup("patrols-demo")


        @group.command("hello")
        def hello():
            print("hello from a feature's command")
    """,
    "tasks.py": """
        def remind():
            return "nothing to remind"
    """,
    "setup.py": """
        def init_app(app):
            app.extensions["patrols_demo.set_up"] = True
    """,
}


@pytest.fixture
def app_with_a_new_feature(tmp_path, monkeypatch, database_url):
    """A package on the path and one more entry in FEATURES: nothing else is edited."""
    package = tmp_path / "patrols_demo"
    package.mkdir()
    for name, text in PACKAGE.items():
        (package / name).write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(tmp_path))
    import patrols_demo

    monkeypatch.setattr("coordination.features.FEATURES", (*FEATURES, patrols_demo.feature))
    from tests.conftest import _app_for

    yield _app_for(database_url)
    for name in [module for module in sys.modules if module.startswith("patrols_demo")]:
        del sys.modules[name]


def test_a_new_feature_is_its_package_and_one_line(app_with_a_new_feature):
    app = app_with_a_new_feature
    assert app.extensions["patrols_demo.set_up"] is True  # its setup ran
    guard = login_client(app, "qt.guard")
    assert guard.get("/patrols-demo/").get_data(as_text=True) == "patrols of the demo feature"
    assert "Joint patrols (demo)" in guard.get("/").get_data(as_text=True)
    # The menu entry is shown only to those its policy names.
    liaison = login_client(app, "qt.liaison")
    assert "Joint patrols (demo)" not in liaison.get("/").get_data(as_text=True)
    # Its command and its job are there.
    result = app.test_cli_runner().invoke(args=["patrols-demo", "hello"])
    assert "hello from a feature's command" in result.output
    registry = app.extensions["coordination.registry"]
    job = registry.jobs["patrols_demo.remind"]
    assert resolve(job.function)() == "nothing to remind"


def test_two_features_cannot_declare_the_same_job():
    one = Feature(name="a", jobs=(Job("same.id", "x:y"),))
    other = Feature(name="b", jobs=(Job("same.id", "x:z"),))
    with pytest.raises(ValueError, match=r"same\.id"):
        Registry.gather([one, other])


def test_the_menu_follows_the_entries_order_across_features():
    first = Feature(name="a", navigation=(NavEntry("a.index", "A", order=20),))
    second = Feature(name="b", navigation=(NavEntry("b.index", "B", order=10),))
    assert [e.endpoint for e in Registry.gather([first, second]).navigation] == [
        "b.index",
        "a.index",
    ]
