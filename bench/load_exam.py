"""Load: concurrent exam takers on a hosted certprep (PostgreSQL, several workers) next to nginx serving the same
question page as a static file, in one run on this machine.

Run from the repository root (needs PostgreSQL on 127.0.0.1 and Debian's nginx):

    python -m bench.load_exam --takers 200 --think 2 --postgres postgresql://postgres@127.0.0.1:55432/postgres

It creates a database of its own (certprep_load_hosted), N learner accounts, starts ``certprep serve --hosted
--workers W`` and nginx on free ports of 127.0.0.1, then every taker signs in, starts a full exam (75 questions),
and for each question waits a think time, opens the question page and saves an answer through the API as
static/exam.js does; then submits and opens the results. At the same time as many "static readers" fetch the
saved question page from nginx on the same think-time rhythm. Every request is timed; the script prints a
Markdown table for docs/benchmarks.md and stops everything it started. All traffic stays on 127.0.0.1, and the
run is bounded: N takers, 75 questions each, and a hard time limit.

Why not locust: the load generator shares the two cores with the server, PostgreSQL and nginx; one asyncio process
with httpx is the lightest driver, and it measures both sides in the same run with the same clock.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password"
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')
_FIELD = re.compile(r'name="csrf_token" value="([^"]*)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Timings:
    """Latencies (ms) and failures per side and kind of request."""

    def __init__(self) -> None:
        self.latencies: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.errors: dict[tuple[str, str], int] = defaultdict(int)
        self.examples: list[str] = []
        self.causes: dict[str, int] = defaultdict(int)  # "ReadError", "500", ...: what the failures were

    def record(self, side: str, kind: str, started: float, ok: bool, note: str = "") -> None:
        self.latencies[(side, kind)].append((time.perf_counter() - started) * 1000)
        if not ok:
            self.errors[(side, kind)] += 1
            self.causes[note.split(":")[0].split(" ")[0]] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{side} {kind}: {note}")


async def timed(
    client: httpx.AsyncClient,
    timings: Timings,
    side: str,
    kind: str,
    method: str,
    url: str,
    expect: tuple[int, ...] = (200,),
    **kwargs: object,
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as error:
        timings.record(side, kind, started, False, f"{type(error).__name__}: {error}")
        return None
    ok = response.status_code in expect
    timings.record(side, kind, started, ok, f"{response.status_code} {response.text[:120]!r}")
    return response


def client_for(base: str, timeout: float) -> httpx.AsyncClient:
    """One simulated browser: at most two connections, like a tab loading a page and saving an answer.

    ``verify=False`` because every URL is plain http on 127.0.0.1: otherwise each of the 400 clients loads the CA
    bundle into a new TLS context (about 70 ms of the driver's single core each), which during the ramp stalled
    the driver's event loop and showed up as server latency.
    """
    return httpx.AsyncClient(base_url=base, timeout=timeout, limits=httpx.Limits(max_connections=2), verify=False)


def token_of(page: str) -> str:
    found = _META.search(page) or _FIELD.search(page)
    return found.group(1) if found else ""


async def sign_in(number: int, base: str, timings: Timings) -> httpx.AsyncClient | None:
    """Sign one taker in (before the measured run: Argon2 is deliberately slow, and a login storm is another test)."""
    client = client_for(base, timeout=120)
    login_page = await timed(client, timings, "login", "login page", "GET", "/login")
    if login_page is not None:
        signed_in = await timed(
            client,
            timings,
            "login",
            "sign in",
            "POST",
            "/login",
            expect=(303,),
            data={
                "email": f"taker{number}@load.test",
                "password": PASSWORD,
                "csrf_token": token_of(login_page.text),
                "next": "/",
            },
        )
        if signed_in is not None and signed_in.status_code == 303:
            return client
    await client.aclose()
    return None


async def taker(
    number: int, client: httpx.AsyncClient, timings: Timings, think: float, ramp: float, questions: int
) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, ramp))
    try:
        hub = await timed(client, timings, "certprep", "hub page", "GET", "/")
        token = token_of(hub.text) if hub is not None else ""
        headers = {"X-CSRF-Token": token}
        started = await timed(
            client,
            timings,
            "certprep",
            "start exam",
            "POST",
            "/api/v1/exams",
            expect=(201,),
            json={"pack": "dop-c02", "mode": "full"},
            headers=headers,
        )
        if started is None or started.status_code != 201:
            return
        exam = started.json()
        for question in exam["questions"][:questions]:
            await asyncio.sleep(rng.expovariate(1 / think))
            position = question["position"]
            await timed(client, timings, "certprep", "question page", "GET", f"/attempts/{exam['id']}/q/{position}")
            choice = rng.sample([option["id"] for option in question["options"]], question["select"])
            await timed(
                client,
                timings,
                "certprep",
                "save answer",
                "PUT",
                f"/api/v1/exams/{exam['id']}/answers/{position}",
                json={"selected": choice},
                headers=headers,
            )
        await timed(
            client, timings, "certprep", "submit", "POST", f"/api/v1/exams/{exam['id']}/submit", headers=headers
        )
        await timed(client, timings, "certprep", "results page", "GET", f"/attempts/{exam['id']}/results")
    finally:
        await client.aclose()


async def reader(number: int, base: str, timings: Timings, think: float, ramp: float, questions: int) -> None:
    rng = random.Random(10_000 + number)
    await asyncio.sleep(rng.uniform(0, ramp))
    async with client_for(base, timeout=60) as client:
        for _ in range(questions):
            await asyncio.sleep(rng.expovariate(1 / think))
            await timed(client, timings, "nginx", "question page", "GET", "/question.html")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


EXAM_FLOW = ("start exam", "question page", "save answer", "submit", "results page")


def report(timings: Timings, seconds: dict[str, float]) -> str:
    lines = [
        "| Side | Request | Count | Errors | p50 ms | p95 ms | p99 ms | Max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for side in ("login", "certprep", "nginx"):
        every: list[float] = []
        errors = 0
        for (name, kind), values in sorted(timings.latencies.items()):
            if name != side:
                continue
            every += values
            errors += timings.errors[(name, kind)]
            lines.append(
                f"| {side} | {kind} | {len(values)} | {timings.errors[(name, kind)]} | {statistics.median(values):.1f} "
                f"| {percentile(values, 0.95):.1f} | {percentile(values, 0.99):.1f} | {max(values):.1f} |"
            )
        flow = [
            v
            for (name, kind), values in timings.latencies.items()
            if name == side and kind in EXAM_FLOW
            for v in values
        ]
        if side == "certprep" and flow:
            lines.append(
                f"| {side} | exam flow only (start, question pages, answers, submit, results) | {len(flow)} | "
                f"{sum(timings.errors[(side, kind)] for kind in EXAM_FLOW)} | {statistics.median(flow):.1f} "
                f"| {percentile(flow, 0.95):.1f} | {percentile(flow, 0.99):.1f} | {max(flow):.1f} |"
            )
        if every:
            lines.append(
                f"| **{side}** | **all, {len(every) / seconds[side]:.1f} req/s over {seconds[side]:.0f} s** "
                f"| **{len(every)}** | **{errors}** | **{statistics.median(every):.1f}** "
                f"| **{percentile(every, 0.95):.1f}** | **{percentile(every, 0.99):.1f}** | **{max(every):.1f}** |"
            )
    return "\n".join(lines)


NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp; fastcgi_temp_path {prefix}/tmp;
    uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {prefix}/www;
    }}
}}
"""


def create_accounts(url: str, count: int) -> None:
    from certprep.services.accounts import AccountService
    from certprep.store import open_engine, session_factory, upgrade

    engine = open_engine(url)
    upgrade(engine)
    service = AccountService(session_factory(engine))
    existing = {user["email"] for user in service.list_users()}
    for number in range(count):
        if f"taker{number}@load.test" not in existing:
            service.create_user(f"taker{number}@load.test", PASSWORD)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takers", type=int, default=200)
    parser.add_argument("--think", type=float, default=2.0, help="mean think time per question, seconds")
    parser.add_argument("--questions", type=int, default=75)
    parser.add_argument("--ramp", type=float, default=20.0, help="takers start spread over this many seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CERTPREP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:55432/postgres"),
    )
    parser.add_argument("--limit", type=float, default=900, help="hard stop after this many seconds")
    args = parser.parse_args()
    # Stopped with SIGTERM (kill, timeout): unwind through the finally below, which stops the server and nginx it
    # started and drops the database; Python's default would exit at once and leave them running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bench: stopped"))
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        sys.exit("bench: nginx is missing; apt-get install nginx-light")

    base, _, _ = args.postgres.rpartition("/")
    database = f"{base}/certprep_load_hosted"
    admin = create_engine(
        args.postgres.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "certprep_load_hosted" WITH (FORCE)'))
        connection.execute(text('CREATE DATABASE "certprep_load_hosted"'))
    print(f"creating {args.takers} accounts ...", flush=True)
    create_accounts(database, args.takers)

    work = Path(tempfile.mkdtemp(prefix="certprep-load-"))
    port, static_port = free_port(), free_port()
    env = {**os.environ, "CERTPREP_DATABASE_URL": database, "CERTPREP_DATA_DIR": str(work), "CERTPREP_HOSTED": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "certprep", "serve", "--hosted", "--workers", str(args.workers), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    nginx: subprocess.Popen[str] | None = None
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(url + "/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("bench: certprep did not start")
            time.sleep(0.5)

        # The static copy: the question page exactly as a signed-in taker receives it.
        asyncio.run(save_question_page(url, work / "www" / "question.html"))
        for folder in (work, work / "www"):
            folder.chmod(0o755)  # nginx's worker processes run as an unprivileged user
        (work / "www" / "question.html").chmod(0o644)
        (work / "tmp").mkdir()
        (work / "nginx.conf").write_text(NGINX_CONF.format(prefix=work, port=static_port))
        nginx = subprocess.Popen(
            ["nginx", "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        static = f"http://127.0.0.1:{static_port}"
        for _ in range(50):
            try:
                if httpx.get(static + "/question.html", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)

        print(f"running {args.takers} takers and {args.takers} static readers ...", flush=True)
        timings = Timings()
        load_before = os.getloadavg()
        seconds = asyncio.run(run(args, url, static, timings))
        load_after = os.getloadavg()
        print()
        print(
            f"{time.strftime('%Y-%m-%d')} · Python {platform.python_version()} · {platform.machine()}, "
            f"{os.cpu_count()} cores · {args.takers} takers, think time mean {args.think} s, "
            f"{args.questions} questions, ramp {args.ramp} s · certprep --hosted --workers {args.workers} on "
            f"PostgreSQL · load average before {load_before[0]:.1f}, after {load_after[0]:.1f}"
        )
        print()
        print(report(timings, seconds))
        if timings.examples:
            print("\nfailures by cause:", dict(timings.causes))
            print("first errors:", *timings.examples, sep="\n  ")
    finally:
        for process in (nginx, server):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "certprep_load_hosted" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(work, ignore_errors=True)


async def save_question_page(url: str, target: Path) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        login = await client.get("/login")
        await client.post(
            "/login", data={"email": "taker0@load.test", "password": PASSWORD, "csrf_token": token_of(login.text)}
        )
        hub = await client.get("/")
        started = await client.post(
            "/api/v1/exams", json={"pack": "dop-c02", "mode": "full"}, headers={"X-CSRF-Token": token_of(hub.text)}
        )
        page = await client.get(f"/attempts/{started.json()['id']}/q/1")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.text)


async def run(args: argparse.Namespace, url: str, static: str, timings: Timings) -> dict[str, float]:
    async def side(coroutines: list[asyncio.Future[None] | asyncio.Task[None]]) -> float:
        started = time.perf_counter()
        await asyncio.gather(*coroutines)
        return time.perf_counter() - started

    gate = asyncio.Semaphore(4)

    async def gated_sign_in(number: int) -> httpx.AsyncClient | None:
        async with gate:
            return await sign_in(number, url, timings)

    login_started = time.perf_counter()
    clients = await asyncio.gather(*(gated_sign_in(n) for n in range(args.takers)))
    login_seconds = time.perf_counter() - login_started
    print(f"signed in {sum(1 for c in clients if c)} of {args.takers} takers in {login_seconds:.0f} s", flush=True)
    takers = [
        asyncio.ensure_future(taker(n, client, timings, args.think, args.ramp, args.questions))
        for n, client in enumerate(clients)
        if client is not None
    ]
    readers = [
        asyncio.ensure_future(reader(n, static, timings, args.think, args.ramp, args.questions))
        for n in range(args.takers)
    ]
    started = time.perf_counter()
    try:
        certprep_seconds, nginx_seconds = await asyncio.wait_for(
            asyncio.gather(side(takers), side(readers)),
            timeout=args.limit,  # type: ignore[arg-type]
        )
    except TimeoutError:
        # Bounded run: report what was measured, and say that the takers did not all finish.
        print(f"time limit of {args.limit:.0f} s reached: the report covers the requests made until then", flush=True)
        certprep_seconds = nginx_seconds = time.perf_counter() - started
    return {"certprep": certprep_seconds, "nginx": nginx_seconds, "login": login_seconds}


if __name__ == "__main__":
    main()
