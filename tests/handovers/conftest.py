import pytest


@pytest.fixture
def app_ctx(app):
    """Records are issued from a request (their QR code holds this server's address)."""
    with app.test_request_context():
        yield app
