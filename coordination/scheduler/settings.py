"""The scheduler's and reminders' settings, read from the environment when the app is built
(so a bad value stops every process at start, with the setting's name)."""

from __future__ import annotations

from collections.abc import Mapping

from config import ConfigError, _int


def _intervals(raw: str | None) -> dict[str, int]:
    """SCHEDULER_INTERVALS="notifications.send_email=60,exchange.remind_deadlines=300"."""
    intervals: dict[str, int] = {}
    for part in (raw or "").split(","):
        if not part.strip():
            continue
        job_id, sep, seconds = part.partition("=")
        try:
            value = int(seconds)
        except ValueError:
            value = 0
        if not sep or not job_id.strip() or value < 1:
            raise ConfigError(
                "SCHEDULER_INTERVALS must look like 'job.id=seconds,other.job=seconds' "
                f"(whole seconds, at least 1), not {raw!r}"
            )
        intervals[job_id.strip()] = value
    return intervals


def scheduler_settings(env: Mapping[str, str], app_env: str) -> dict:
    lease = _int(env, "SCHEDULER_LEASE_SECONDS", 60, 3)
    heartbeat = _int(env, "SCHEDULER_HEARTBEAT_SECONDS", 10, 1)
    if heartbeat * 2 > lease:
        raise ConfigError(
            f"SCHEDULER_HEARTBEAT_SECONDS ({heartbeat}) must be at most half of "
            f"SCHEDULER_LEASE_SECONDS ({lease}), or the lease expires between heartbeats"
        )
    clock_file = env.get("SCHEDULER_CLOCK_FILE") or None
    if clock_file and app_env != "testing":
        raise ConfigError("SCHEDULER_CLOCK_FILE moves the jobs' clock: tests only")
    return {
        # A scheduler holds its lease this long, renewing it every heartbeat.
        "SCHEDULER_LEASE_SECONDS": lease,
        "SCHEDULER_HEARTBEAT_SECONDS": heartbeat,
        # Per job: how often it runs, overriding its declared interval.
        "SCHEDULER_INTERVALS": _intervals(env.get("SCHEDULER_INTERVALS")),
        # Runs kept per job for the administrator's page.
        "SCHEDULER_KEEP_RUNS": _int(env, "SCHEDULER_KEEP_RUNS", 50, 1),
        "SCHEDULER_CLOCK_FILE": clock_file,
        # Reminders: the default lead time before a reply deadline (offices may set their own)
        # and how often an overdue request is escalated again to the office's supervisors.
        "DEADLINE_REMINDER_HOURS": _int(env, "DEADLINE_REMINDER_HOURS", 48, 1),
        "ESCALATION_REPEAT_DAYS": _int(env, "ESCALATION_REPEAT_DAYS", 3, 1),
        # E-mail retries: first after this long, then doubling (at most six hours).
        "MAIL_RETRY_SECONDS": _int(env, "MAIL_RETRY_SECONDS", 60, 1),
        "MAIL_RETRY_MAX_SECONDS": _int(env, "MAIL_RETRY_MAX_SECONDS", 6 * 3600, 1),
    }
