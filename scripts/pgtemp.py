"""A throw-away PostgreSQL server from Debian's ``postgresql`` package: initdb in a temporary
directory, a free loopback port, the unix socket in the same directory, stopped and deleted at
the end. No Docker. Used by the test suite (tests/_postgres.py) and the load benchmark.

initdb and postgres refuse to run as root, so as root the cluster belongs to the ``postgres``
system user (created by the Debian package) and the server programs run via ``runuser``.

Run it by hand for a scratch server (prints its URL, Ctrl-C stops it):
    .venv/bin/python scripts/pgtemp.py
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

USER = "autosafety"
"""The cluster's superuser (trust authentication on loopback and the socket only)."""


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here (not installed, or it failed to start)."""


def bin_dir() -> Path:
    """The newest ``/usr/lib/postgresql/N/bin`` with initdb (else wherever ``initdb`` is on PATH)."""
    def version(p: str) -> float:
        try:
            return float(Path(p).parent.name)
        except ValueError:
            return 0.0
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version)
    for d in reversed(found):
        if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists():
            return Path(d)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise PostgresUnavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): "
                              "run scripts/setup.sh, or apt-get install postgresql")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TempPostgres:
    """A private PostgreSQL cluster; ``start()`` then ``url(db)``, ``create_database()``, ``stop()``.

    ``durable=False`` (the tests) turns off fsync: the server itself is never killed there, only
    the clients, so what it acknowledged stays in its memory and files either way.
    """

    def __init__(self, *, durable: bool = True, port: int | None = None):
        self.durable = durable
        self.port = port or free_port()
        self.bin = bin_dir()
        parent = "/tmp" if os.path.isdir("/tmp") else None  # short: unix socket paths are <= 107 bytes
        self.root = Path(tempfile.mkdtemp(prefix="autosafety-pg-", dir=parent))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self._as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        self._count = 0
        self.started = False

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self._as_root:
            runuser = shutil.which("runuser")
            if runuser:
                cmd = [runuser, "-u", "postgres", "--", *cmd]
            else:
                cmd = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *cmd]
        return subprocess.run(cmd, cwd=self.root, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def start(self) -> TempPostgres:
        """initdb and start the server; raises PostgresUnavailable with the server's log if not
        (and leaves no directory behind)."""
        try:
            return self._start()
        except BaseException:
            self._cleanup()
            raise

    def _start(self) -> TempPostgres:
        if self._as_root:
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no 'postgres' user to run "
                                          "the server as (Debian's postgresql package creates it)") from None
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        os.chmod(self.root, 0o700)
        init = self._run("initdb", "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                         "--locale=C", "--no-sync", "--no-instructions")
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed:\n{init.stdout}\n{init.stderr}")
        options = [f"-p {self.port}", f"-k {self.root}", "-c listen_addresses=127.0.0.1",
                   "-c max_connections=300", "-c shared_buffers=64MB"]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        started = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                            "-o", " ".join(options), "start")
        if started.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed:\n{started.stdout}\n{started.stderr}\n{log}")
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        """A SQLAlchemy URL (psycopg 3) for one database of the cluster, over loopback TCP."""
        return f"postgresql+psycopg://{USER}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, *, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run one statement (autocommit) and return its rows."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=USER, dbname=database,
                             autocommit=True) as con, con.cursor() as cur:
            cur.execute(statement)
            return list(cur.fetchall()) if cur.description else []

    def create_database(self, prefix: str = "db") -> str:
        """A fresh, empty database; returns its URL."""
        self._count += 1
        name = f"{prefix}_{os.getpid()}_{self._count}"
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once and delete the cluster."""
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
            self.started = False
        self._cleanup()

    def _cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def temp_postgres(*, durable: bool = True) -> Iterator[TempPostgres]:
    """``with temp_postgres() as pg: pg.url()``."""
    pg = TempPostgres(durable=durable)
    with pg:
        yield pg


def main() -> None:
    with temp_postgres() as pg:
        print(pg.url(), flush=True)
        print(f"(log {pg.log}; Ctrl-C stops and deletes it)", flush=True)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
