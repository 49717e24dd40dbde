import pytest


@pytest.fixture
def app_ctx(app):
    """Handover records are issued from a request (their QR code holds the address)."""
    with app.test_request_context():
        yield app
