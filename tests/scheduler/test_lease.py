"""Only one scheduler runs: a lease row with an expiry, on SQLite and PostgreSQL."""

from __future__ import annotations

import signal
import time

from coordination.scheduler import lease
from tests.scheduler.processes import output, wait_for


def test_one_holder_at_a_time_until_it_releases_or_expires(app_ctx):
    assert lease.acquire("first", 60)
    assert not lease.acquire("second", 60)
    assert lease.renew("first", 60)
    assert not lease.renew("second", 60)
    lease.release("first")
    assert lease.acquire("second", 60)
    assert not lease.renew("first", 60)  # the first lost it: it must stop running jobs
    assert lease.acquire("second", 1)
    time.sleep(1.2)
    assert lease.acquire("third", 60)  # the second stopped renewing: its lease expired
    assert lease.current().holder == "third"


def test_a_second_scheduler_exits_with_a_clear_message_or_waits(processes):
    first = processes.scheduler("first")
    wait_for(lambda: "holds the lease" in output(first), message="the first scheduler")
    refused = processes.scheduler("refused", "--no-wait")
    assert refused.wait(timeout=60) == 3
    assert "Another scheduler is running" in output(refused)
    assert "Exiting" in output(refused)

    waiting = processes.scheduler("waiting")
    wait_for(lambda: "Waiting until it stops" in output(waiting), message="a waiting scheduler")
    time.sleep(2)
    assert "holds the lease" not in output(waiting)
    first.send_signal(signal.SIGTERM)  # stopping releases the lease: the other takes over
    assert first.wait(timeout=30) == 0
    assert "lease released" in output(first)
    wait_for(lambda: "holds the lease" in output(waiting), message="the take-over")
