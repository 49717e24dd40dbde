"""Real processes against the test database: schedulers (`flask scheduler run`) and web
workers (`flask run`), with fast intervals and a movable job clock (SCHEDULER_CLOCK_FILE,
a setting refused outside APP_ENV=testing)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLASK = str(Path(sys.executable).with_name("flask"))
FAST = "notifications.send_email=1,exchange.remind_deadlines=1,exchange.remind_overdue=1,"


@dataclass
class Processes:
    database_url: str
    tmp_path: Path
    extra_env: dict = field(default_factory=dict)
    started: list = field(default_factory=list)

    @property
    def clock_file(self) -> Path:
        return self.tmp_path / "clock"

    def move_clock(self, seconds: float) -> None:
        self.clock_file.write_text(str(seconds))

    def env(self, **overrides) -> dict:
        return {
            **os.environ,
            "FLASK_APP": "coordination",
            "APP_ENV": "testing",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": "test-secret-key-with-enough-length-0123456789",
            "AUDIT_CHECKPOINT_FILE": str(self.tmp_path / "audit.log"),
            "AUDIT_CHECKPOINT_SECONDS": "0",
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_KIB": "64",
            "SCHEDULER_INTERVALS": FAST.rstrip(","),
            "SCHEDULER_HEARTBEAT_SECONDS": "1",
            "SCHEDULER_LEASE_SECONDS": "3",
            "SCHEDULER_CLOCK_FILE": str(self.clock_file),
            "MAIL_RETRY_SECONDS": "1",
            "MAIL_RETRY_MAX_SECONDS": "2",
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
            **overrides,
        }

    def start(self, *args: str, name: str, **env) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603 - our own flask, fixed arguments
            [FLASK, *args], cwd=ROOT, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT
        )
        process.log_path = self.tmp_path / f"{name}.log"
        self.started.append(process)
        return process

    def scheduler(self, name: str, *args: str, **env) -> subprocess.Popen:
        return self.start("scheduler", "run", *args, name=name, **env)

    def web_worker(self, name: str, port: int) -> subprocess.Popen:
        return self.start("run", "--no-reload", "--port", str(port), name=name)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def output(process) -> str:
    return process.log_path.read_text(errors="replace")


def wait_for(condition, timeout: float = 30, every: float = 0.3, message: str = ""):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message or condition}")
        time.sleep(every)
