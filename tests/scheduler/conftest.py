import pytest

from tests.scheduler.processes import Processes


@pytest.fixture
def processes(database_url, tmp_path):
    running = Processes(database_url, tmp_path)
    running.move_clock(0)
    yield running
    running.stop_all()
