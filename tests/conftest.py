"""Shared fixtures: the tiny test pack, a database on SQLite and on PostgreSQL, the real web app in process
(FastAPI's TestClient), and a real running `certprep serve` for the few end-to-end tests of the server itself."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from certprep.content import Pack, load_pack
from certprep.store import open_engine, session_factory, transaction, upgrade
from certprep.store.schema import User

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from certprep.runtime import Runtime

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TINY_PACK = FIXTURES / "packs" / "tiny"
DOP_PACK = ROOT / "src" / "certprep" / "packs" / "dop-c02"
POSTGRES_ADMIN_URL = os.environ.get("CERTPREP_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("CERTPREP_REQUIRE_POSTGRES") == "1"


@functools.cache
def dop_pack() -> Pack:
    """The built-in DOP-C02 pack, read once per test run. Its models are frozen, so sharing it is safe; a test that
    needs to break a pack copies the tiny one (:func:`tiny_pack`)."""
    return load_pack(DOP_PACK)


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with argon2-cffi's CHEAPEST parameters for the code running in this process.

    A production hash costs about 0.16 s here, on purpose, and in-process tests sign in and register hundreds of
    times; argon2-cffi ships this profile for tests. It is still Argon2id through the same functions, and every hash
    carries its parameters, so hashes of either cost verify. Servers started as child processes keep the real cost,
    and so do tests marked ``real_hash_cost``: the parallel-guess tests, whose race showed while a hash took its time.
    """
    if request.node.get_closest_marker("real_hash_cost") is None:
        from argon2 import PasswordHasher, profiles

        from certprep.accounts import passwords

        monkeypatch.setattr(passwords, "_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture(scope="session")
def dop() -> Pack:
    """The built-in DOP-C02 pack (the one pack fixture; module-level constants use :func:`dop_pack`)."""
    return dop_pack()


@pytest.fixture
def tiny_pack(tmp_path: Path) -> Path:
    """A private copy of the tiny pack that a test may break."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY_PACK, target)
    return target


def _postgres_database(template: str | None = None) -> Generator[str, None, None]:
    """A new PostgreSQL database, empty or a copy of the database ``template``; dropped when the generator ends."""
    if not POSTGRES_ADMIN_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("CERTPREP_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("no PostgreSQL server: run ./scripts/test, which starts one")
    name = f"certprep_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once on SQLite and once on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'certprep.db'}"
    else:
        yield from _postgres_database()


class _MigratedTemplates:
    """One database per kind brought to the current schema once per worker, copied for each test that needs one.

    Running every migration costs about 0.05 s on SQLite and 0.15 s on PostgreSQL; copying a file or cloning a
    database (``CREATE DATABASE ... TEMPLATE``) costs a fraction, and the copy is exactly what the migrations make.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sqlite: Path | None = None
        self._postgres: Generator[str, None, None] | None = None
        self._postgres_name = ""

    def sqlite_copy(self, target: Path) -> str:
        if self._sqlite is None:
            self._sqlite = self.folder / "migrated.db"
            engine = open_engine(f"sqlite:///{self._sqlite}")
            upgrade(engine)
            engine.dispose()  # the last connection closing folds the write-ahead log into the file
        shutil.copyfile(self._sqlite, target)
        return f"sqlite:///{target}"

    def postgres_copy(self) -> Generator[str, None, None]:
        if self._postgres is None:
            self._postgres = _postgres_database()
            url = next(self._postgres)
            engine = open_engine(url)
            upgrade(engine)
            engine.dispose()  # a template must have no connections when it is copied
            self._postgres_name = url.rsplit("/", 1)[1]
        yield from _postgres_database(template=self._postgres_name)

    def close(self) -> None:
        if self._postgres is not None:
            next(self._postgres, None)


@pytest.fixture(scope="session")
def _migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_MigratedTemplates]:
    templates = _MigratedTemplates(tmp_path_factory.mktemp("migrated"))
    yield templates
    templates.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_database_url(
    request: pytest.FixtureRequest, tmp_path: Path, _migrated_templates: _MigratedTemplates
) -> Iterator[str]:
    """A database at the current schema with no rows, once on SQLite and once on PostgreSQL: for tests about what
    is stored (tests of the migrations themselves take :func:`database_url`, which is empty)."""
    if request.param == "sqlite":
        yield _migrated_templates.sqlite_copy(tmp_path / "certprep.db")
    else:
        yield from _migrated_templates.postgres_copy()


@dataclass(frozen=True)
class Learners:
    """A migrated database (SQLite or PostgreSQL) with two learners, for tests that check one never sees the other."""

    sessions: sessionmaker[Session]
    alice: int
    bob: int


@pytest.fixture
def learners(migrated_database_url: str) -> Iterator[Learners]:
    engine = open_engine(migrated_database_url)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        alice, bob = User(username="alice"), User(username="bob")
        session.add_all([alice, bob])
        session.flush()
        ids = (alice.id, bob.id)
    yield Learners(sessions, *ids)
    engine.dispose()


@pytest.fixture(scope="session")
def pack_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of read packs (and tutor indexes) for the whole run: each app below reads DOP-C02 from it."""
    return tmp_path_factory.getbasetemp() / "pack-cache"


# The read packs a child `certprep` starts from when its data folder has no cache yet (see with_warm_cache).
_WARM_CACHE: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def warm_pack_cache(pack_cache: Path) -> None:
    """Read the built-in and tiny packs into the run's cache once, for the child processes of this worker."""
    from certprep.runtime import read_packs

    read_packs([DOP_PACK, TINY_PACK], pack_cache)
    _WARM_CACHE[:] = [pack_cache]


def with_warm_cache(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a `certprep` run (a child or in process), its data folder (from ``env``, else from this process's
    environment) given the run's cache of read packs if it has none.

    A child process in a new data folder would otherwise parse and check every YAML file of DOP-C02 again (about 1.5
    s on this machine) before it answers. The cache is keyed by the packs' files and the code that reads them, so a
    copy serves exactly what reading would give; a test of a broken or edited pack reads it afresh, as it must.
    """
    data = env.get("CERTPREP_DATA_DIR", os.environ.get("CERTPREP_DATA_DIR"))
    if data and _WARM_CACHE and _WARM_CACHE[0].is_dir() and not (Path(data) / "cache").exists():
        # A folder the child may not write (the read-only tests) stays as the test made it.
        with contextlib.suppress(OSError):
            shutil.copytree(_WARM_CACHE[0], Path(data) / "cache")
    return env


@contextmanager
def web_app(database_url: str, cache_dir: Path, **settings: Any) -> Iterator[TestClient]:
    """The real app (``create_app`` on a started Runtime) with the DOP-C02 and tiny packs, in this process.

    ``settings`` change :class:`certprep.config.Settings` (``hosted=True``, ``max_upload_bytes=...``, ``clock``
    goes to the runtime). The client is entered, so the app's lifespan runs as under ``certprep serve`` (the expiry
    sweeper thread starts and stops with it). Like a browser and like httpx, it does not follow redirects unless a
    request asks, and an exception the app does not turn into an answer is raised here with its traceback.
    """
    from fastapi.testclient import TestClient

    from certprep.clock import system_clock
    from certprep.config import Settings
    from certprep.runtime import Runtime
    from certprep.web.app import create_app

    clock = settings.pop("clock", system_clock)
    base = Settings(database_url=database_url, extra_packs=(TINY_PACK,), hosted=False, cache_dir=cache_dir)
    runtime = Runtime.start(replace(base, **settings), clock=clock)
    try:
        with TestClient(create_app(runtime), follow_redirects=False) as client:
            yield client
    finally:
        runtime.close()


def runtime_of(client: TestClient) -> Runtime:
    """The runtime behind an app made by :func:`web_app`, for a test that checks what was (not) stored."""
    from certprep.runtime import Runtime

    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    assert isinstance(runtime, Runtime)
    return runtime


@pytest.fixture
def client(
    tmp_path: Path, pack_cache: Path, monkeypatch: pytest.MonkeyPatch, _migrated_templates: _MigratedTemplates
) -> Iterator[TestClient]:
    """The real app in process with the DOP-C02 and tiny packs, local mode, on a fresh SQLite database."""
    monkeypatch.delenv("CERTPREP_LLM_URL", raising=False)  # the retrieval tutor, whatever the shell has set
    with web_app(_migrated_templates.sqlite_copy(tmp_path / "certprep.db"), pack_cache) as app:
        yield app


@pytest.fixture
def storage_client(
    migrated_database_url: str, pack_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """The same app on a fresh database, once on SQLite and once on PostgreSQL: for tests about what is stored."""
    monkeypatch.delenv("CERTPREP_LLM_URL", raising=False)
    with web_app(migrated_database_url, pack_cache) as app:
        yield app


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` read-only for certprep while the block runs, as a read-only disk would make it.

    Root writes a folder whatever its permission bits say, so as root the folder becomes a read-only bind mount of
    itself (the test is skipped where the machine refuses mounts); otherwise its permission bits are taken away.
    """
    if os.geteuid() != 0:
        modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
        for path in modes:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"as root a read-only folder needs a bind mount, which this machine refuses: {mounted.stderr}")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True, capture_output=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=False, capture_output=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def certprep_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "certprep", *args]


@dataclass(frozen=True)
class CliRun:
    """What one run of the CLI printed and returned, shaped like ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str


def run_certprep(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> CliRun:
    """Run the real CLI in this process with Typer's CliRunner, as a user would type it.

    A child Python costs about a second per command; in process the same commands, options, exit codes and output
    run in milliseconds. An exception the CLI does not turn into a readable line is raised here, so the test shows
    the traceback a user would have seen instead of passing on a bare exit code. :func:`run_certprep_process` keeps
    the few end-to-end runs of the real ``certprep`` executable.
    """
    from certprep.cli import app

    # A command may change the environment for its own children (`serve --hosted` sets CERTPREP_HOSTED for its
    # workers); in a child process that dies with it, in process it would leak into every later test.
    saved = dict(os.environ)
    try:
        result = CliRunner().invoke(app, list(args), env=with_warm_cache(env or {}), input=input, catch_exceptions=True)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return CliRun(result.exit_code, result.stdout, result.stderr)


def run_certprep_process(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a child process: for the end-to-end tests of the installed command."""
    return subprocess.run(
        certprep_command(*args),
        env={**os.environ, **with_warm_cache(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Server:
    """A `certprep serve` child process on a free port: for the browser tests and the few end-to-end tests of the real
    process (tests/web/test_serve.py, the killed server, several workers)."""

    def __init__(self, env: dict[str, str], hosted: bool = False, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.process: subprocess.Popen[str] | None = None
        # Hosted mode: accounts, login and CSRF checks (tests/web/test_hosted.py); workers > 1 needs PostgreSQL.
        self.extra_args = (["--hosted"] if hosted else []) + (["--workers", str(workers)] if workers > 1 else [])

    def start(self) -> Server:
        self.process = subprocess.Popen(
            certprep_command("serve", "--port", str(self.port), *self.extra_args),
            env={**os.environ, **with_warm_cache(self.env)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read() if self.process.stdout else ""
                raise RuntimeError(f"certprep serve exited with {self.process.returncode}:\n{output}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("certprep serve did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `certprep serve` with the DOP-C02 pack and the tiny pack, on SQLite in a throwaway data folder, for the
    Chromium tests (tests/browser); tests that only need HTTP use the app in process (:func:`web_app`)."""
    data_dir = tmp_path_factory.mktemp("server-data")
    env = {"CERTPREP_DATA_DIR": str(data_dir), "CERTPREP_PACKS": str(TINY_PACK)}
    env.pop("CERTPREP_DATABASE_URL", None)
    running = Server({**env, "CERTPREP_DATABASE_URL": ""}).start()
    yield running
    running.stop()
