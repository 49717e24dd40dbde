"""Uploads waiting for the user's answer are deleted by the scheduler's job after the hour
(they hold a partner's people), and a late answer finds nothing to import."""

from __future__ import annotations

import os
import time

from coordination.htcds import pending


def test_the_job_deletes_waiting_files_older_than_the_hour(app):
    with app.app_context():
        old = pending.keep(1, b"cas_Id,prs_Id\nC-1,P-1\n", "old.csv")
        new = pending.keep(1, b"cas_Id,prs_Id\nC-2,P-2\n", "new.csv")
        old_path, new_path = pending.path_for(1, old), pending.path_for(1, new)
        hours_ago = time.time() - pending.PENDING_SECONDS - 60
        for path in (old_path, old_path.with_name(old_path.name + ".name")):
            os.utime(path, (hours_ago, hours_ago))
        assert pending.remove_pending_files() == 1
        assert not old_path.exists() and not old_path.with_name(old_path.name + ".name").exists()
        assert pending.take(old_path) is None
        assert pending.take(new_path) == (b"cas_Id,prs_Id\nC-2,P-2\n", "new.csv")
        assert not new_path.exists()  # taken once
        assert pending.path_for(1, "../../etc/passwd") is None


def test_the_job_is_registered(app):
    with app.app_context():
        from coordination.core.features import registry

        assert "htcds.remove_pending" in registry().jobs
