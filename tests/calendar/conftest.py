import pytest

from coordination.demo_records import load_demo_records
from coordination.extensions import db


def _load(app) -> None:
    with app.test_request_context():
        load_demo_records()
        db.session.commit()


@pytest.fixture
def app_ctx(app):
    """With the demo records (qt.guard's handover at Lao Bảo tomorrow at 09:00), in a
    request context (entries link to their records). One user per test: Flask-Login keeps
    the signed-in user on ``g``, which the test's requests share with this context."""
    _load(app)
    with app.test_request_context():
        yield app


@pytest.fixture
def demo_app(app):
    """The demo records loaded, and no context left pushed: for tests with several users."""
    _load(app)
    return app


@pytest.fixture(autouse=True)
def _fresh_feed_caches():
    """Each test starts as a new worker would: no kept events, heads or feeds."""
    from coordination.calendar.feed import clear_caches

    clear_caches()
    yield
    clear_caches()
