"""A real `airflow standalone` (scheduler, API server, UI) for end-to-end tests, on 127.0.0.1 at a free port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AirflowStandalone:
    """Start `airflow standalone` in its own home; talk to its REST API v2 with a JWT."""

    def __init__(self, home: Path, warehouse: Path, log_path: Path):
        self.home, self.port = home, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        bin_dir = Path(sys.executable).parent
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__BASE_URL": self.url,
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "WARTA_WAREHOUSE": str(warehouse),
            "WARTA_MODE": "replay",
            "WARTA_SCHEDULE": "@daily",
            "WARTA_RETRY_DELAY_SECONDS": "2",
        }
        self.log = open(log_path, "w")
        self.proc: subprocess.Popen | None = None
        self.token: str | None = None

    def start(self, timeout: float = 180) -> None:
        """Start it and wait until the API answers and a token can be had."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen([sys.executable, "-m", "airflow", "standalone"], env=self.env, cwd=ROOT,
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            assert self.proc.poll() is None, "airflow standalone exited early; see its log"
            try:
                self.token = self._login()
                return
            except (OSError, urllib.error.URLError, KeyError, ValueError):
                time.sleep(2)
        raise TimeoutError("airflow standalone did not come up")

    def password(self) -> str:
        """The admin password standalone generated (it is printed once and kept in this file)."""
        data = json.loads((self.home / "simple_auth_manager_passwords.json.generated").read_text())
        return data["admin"]

    def _login(self) -> str:
        body = self.request("POST", "/auth/token", {"username": "admin", "password": self.password()}, auth=False)
        return body["access_token"]

    def request(self, method: str, path: str, payload: dict | None = None, auth: bool = True, tries: int = 5):
        """One JSON call to the API; an HTTPError propagates with its status.

        A 503 is Airflow saying its SQLite database was locked by the scheduler at that moment (the backfill route
        maps the lock error to 503 and rolls back, so nothing was created): the call is made again after a pause.
        """
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if auth and self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        for attempt in range(tries):
            try:
                with urllib.request.urlopen(req, timeout=30) as resp:
                    return json.loads(resp.read() or b"null")
            except urllib.error.HTTPError as exc:
                if exc.code != 503 or attempt == tries - 1:
                    raise
                time.sleep(2)

    def wait_for(self, check, timeout: float, what: str):
        """Poll check() until it returns something truthy."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                value = check()
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise
                value = None
            if value:
                return value
            time.sleep(2)
        raise TimeoutError(f"timed out waiting for {what}")

    def stop(self) -> None:
        """SIGINT, as a person would; kill the group if it lingers."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()
