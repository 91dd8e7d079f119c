"""Multi-server test: two `make run` servers on one PostgreSQL and Redis, behind Debian's nginx.

    make cluster-test                   # what .ci/run runs after both test suites
    .venv/bin/python load/cluster.py --keep   # keep the temporary folder (logs, nginx config) afterwards

It creates an empty PostgreSQL database and clears one Redis database, then starts `make run` twice at
the same moment, each with its own instance folder and port but the same DATABASE_URL, REDIS_URL and
SECRET_KEY, in production mode (LMS_ENV=production) with TRUSTED_PROXIES=1, and puts nginx in front of
both (round robin). Then it checks, in order:

1. both servers come up (/readyz 200 on each) within START_LIMIT seconds;
2. a session and a CSRF token from one server work on the other;
3. a lesson a trainer creates and publishes through one server is on the other at once, and so is an image
   the trainer uploads;
4. failed sign-ins are limited per client behind the proxy: clients on 127.0.0.2 and 127.0.0.3 (loopback
   source addresses) are counted apart, across both servers, and a forged X-Forwarded-For is ignored;
5. PostgreSQL restarted: both servers are ready again and serve a signed-in page;
6. one server killed: every request through nginx is still answered by the other.

nginx missing: the run is skipped with the reason (exit 0), except under CI=true, where it fails (exit 1).
Everything is torn down at the end: servers, nginx, the database, the Redis database's keys.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import chaos
import server as load_server

ROOT = load_server.ROOT
START_LIMIT = 240.0  # seconds for both servers to migrate, import, seed and answer /readyz
RECOVERY_LIMIT = 30.0
REDIS_DB = 12  # a Redis database of its own, emptied before and after
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
DEMO_ACCOUNT = re.compile(r"^\s*(\w+)\s+(\S+@\S+)\s+password: (\S+)\s*$", re.M)
LESSON_LINK = re.compile(r'href="(/courses/[\w-]+/[\w-]+/(?!quiz")[\w-]+)"')
COURSE_LINK = re.compile(r'href="(/courses/[\w-]+/)"')
STUDIO_MODULE = re.compile(r'href="(/studio/courses/([\w-]+)/modules/([\w-]+)/)"')
PUBLISH_ACTION = re.compile(r'action="(/studio/lesson/\d+/publish)"')
# A 1×1 transparent PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082")


NGINX_CONFIG = """\
worker_processes 1;
error_log {dir}/nginx-error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 256; }}
http {{
    access_log {dir}/nginx-access.log;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 10m;
    upstream lms {{
        server 127.0.0.1:{port_a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{port_b} max_fails=1 fail_timeout=5s;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://lms;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


class Client:
    """A browser-like client on one address: keeps its cookies, can come from a chosen loopback address."""

    def __init__(self, port: int, source: str = "127.0.0.1"):
        self.port, self.source = port, source
        self.cookies: dict[str, str] = {}

    def at(self, port: int) -> Client:
        """The same cookies, sent to another server."""
        other = Client(port, self.source)
        other.cookies = self.cookies
        return other

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 15) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                                source_address=(self.source, 0))
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, text
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> tuple[int, dict, str]:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: dict, headers: dict | None = None) -> tuple[int, dict, str]:
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def post_file(self, path: str, fields: dict, name: str, filename: str, content: bytes,
                  content_type: str) -> tuple[int, dict, str]:
        boundary = secrets.token_hex(12)
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def csrf(self, path: str) -> str:
        status, _, html = self.get(path)
        match = CSRF.search(html)
        if status != 200 or not match:
            raise AssertionError(f"no form on {path} (status {status})")
        return match.group(1) or match.group(2)

    def sign_in(self, email: str, password: str) -> int:
        token = self.csrf("/login")
        return self.post("/login", {"csrf_token": token, "email": email, "password": password, "next": ""})[0]


@dataclass
class Node:
    """One `make run` server."""

    name: str
    port: int
    instance: Path
    log_path: Path
    process: subprocess.Popen | None = None
    extra: dict = field(default_factory=dict)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else "(no log)"


def ready(port: int) -> bool:
    try:
        status, _, _ = Client(port).get("/readyz", timeout=3)
    except OSError:
        return False
    return status == 200


def wait_ready(ports: list[int], limit: float, nodes: list[Node] = ()) -> float | None:
    """Seconds until every port answers /readyz 200, or None after ``limit`` (or when a node exits)."""
    started = time.monotonic()
    waiting = set(ports)
    while waiting and time.monotonic() - started < limit:
        if any(node.process is not None and not node.alive() for node in nodes):
            return None
        waiting = {port for port in waiting if not ready(port)}
        if waiting:
            time.sleep(0.5)
    return None if waiting else time.monotonic() - started


def clear_redis(url: str) -> None:
    import redis
    redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()


def start_nodes(tmp: Path, env: dict) -> list[Node]:
    """`make run` twice, started at the same moment."""
    nodes = []
    for name in ("a", "b"):
        instance = tmp / f"instance-{name}"
        instance.mkdir()
        nodes.append(Node(name, load_server.free_port(), instance, tmp / f"server-{name}.log"))
    for node in nodes:
        node_env = {**env, "LMS_INSTANCE_PATH": str(node.instance), "PORT": str(node.port)}
        with open(node.log_path, "w") as log:
            node.process = subprocess.Popen(["make", "--no-print-directory", "run"], env=node_env, cwd=ROOT,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return nodes


def start_nginx(tmp: Path, nodes: list[Node]) -> tuple[subprocess.Popen, int]:
    port = load_server.free_port()
    directory = tmp / "nginx"
    directory.mkdir()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / sub).mkdir(mode=0o777)
    directory.chmod(0o755)
    tmp.chmod(0o755)
    config = directory / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(dir=directory, port=port, port_a=nodes[0].port, port_b=nodes[1].port))
    with open(directory / "nginx-stderr.log", "w") as errors:
        process = subprocess.Popen([NGINX, "-c", str(config), "-p", str(directory), "-g", "daemon off;"],
                                   stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            Client(port).get("/healthz", timeout=2)
            return process, port
        time.sleep(0.2)
    raise RuntimeError("nginx did not start: " + (directory / "nginx-stderr.log").read_text(errors="replace"))


def demo_accounts(nodes: list[Node]) -> dict[str, tuple[str, str]]:
    """role -> (email, password), from whichever instance folder the demo accounts were written to."""
    accounts = {}
    for node in nodes:
        path = node.instance / "demo-accounts.txt"
        if path.exists():
            for role, email, password in DEMO_ACCOUNT.findall(path.read_text()):
                accounts[role] = (email, password)
    return accounts


# The checks ------------------------------------------------------------------------------------------

def check_shared_session(nodes: list[Node], accounts: dict) -> tuple[bool, str]:
    """Sign in on A; the session and A's CSRF token work on B (a lesson marked complete there)."""
    email, password = accounts["diplomat"]
    a = Client(nodes[0].port)
    if a.sign_in(email, password) != 302:
        return False, "the demo diplomat could not sign in on server A"
    status, _, home = a.get("/courses/")
    course = COURSE_LINK.search(home)
    if status != 200 or not course:
        return False, f"no course list on A (status {status})"
    status, _, course_page = a.get(course.group(1))
    lesson = LESSON_LINK.search(course_page)
    if not lesson:
        return False, "no lesson link on the course page"
    token = a.csrf(lesson.group(1))  # taken from server A
    b = a.at(nodes[1].port)
    status, _, page = b.get(lesson.group(1))
    if status != 200 or "Sign out" not in page:
        return False, f"A's session cookie is not signed in on B (status {status})"
    status, headers, _ = b.post(lesson.group(1) + "/complete", {"csrf_token": token})
    location = urlsplit(headers.get("location", "")).path
    if status != 302 or location != lesson.group(1):
        return False, f"A's CSRF token refused on B: {status} to {location!r}"
    return True, f"signed in on A; a page and a completion (A's token) on B: {status} back to the lesson"


def check_publish_and_upload(nodes: list[Node], accounts: dict) -> tuple[bool, str]:
    """A trainer creates and publishes a lesson and uploads an image on A; B has both at once."""
    email, password = accounts["trainer"]
    trainer = Client(nodes[0].port)
    if trainer.sign_in(email, password) != 302:
        return False, "the demo trainer could not sign in on server A"
    status, _, studio = trainer.get("/studio/")
    course = re.search(r'href="(/studio/courses/[\w-]+/)"', studio)
    if not course:
        return False, f"no course in the studio (status {status})"
    _, _, course_page = trainer.get(course.group(1))
    module = STUDIO_MODULE.search(course_page)
    if not module:
        return False, "no module in the studio's course page"
    module_path = module.group(1)
    slug = "cluster-" + secrets.token_hex(3)
    marker = "Written on server A " + secrets.token_hex(4)
    token = trainer.csrf(module_path)
    status, headers, _ = trainer.post(module_path + "lessons", {
        "csrf_token": token, "slug": slug, "title": "Cluster check " + slug, "minutes": "1",
        "body": f"{marker}.\n"})
    if status != 302:
        return False, f"creating a lesson on A answered {status}"
    _, _, module_page = trainer.get(module_path)
    section = module_page[module_page.find(f'id="lesson-{slug}"'):]
    publish = PUBLISH_ACTION.search(section)
    if not publish:
        return False, "no publish button for the new lesson"
    status, _, _ = trainer.post(publish.group(1), {"csrf_token": trainer.csrf(module_path), "publish": "Publish"})
    if status != 302:
        return False, f"publishing on A answered {status}"
    learner_path = f"/courses/{module.group(2)}/{module.group(3)}/{slug}"
    diplomat = Client(nodes[1].port)
    diplomat.sign_in(*accounts["diplomat"])
    status, _, page = diplomat.get(learner_path)
    if status != 200 or marker not in page:
        return False, f"the lesson published on A is not on B: {learner_path} answered {status}"
    filename = f"cluster-{secrets.token_hex(3)}.png"
    status, _, _ = trainer.post_file(module_path + "assets", {"csrf_token": trainer.csrf(module_path + "assets")},
                                     "file", filename, PNG, "image/png")
    if status != 302:
        return False, f"uploading an image on A answered {status}"
    status, headers, _ = trainer.at(nodes[1].port).get(module_path + "assets/" + filename)
    if status != 200 or not headers.get("content-type", "").startswith("image/png"):
        return False, f"the image uploaded on A is not on B: {status} {headers.get('content-type')}"
    return True, f"lesson {slug} published and {filename} uploaded on A, both served by B at once"


def failed_sign_ins_logged(node: Node, address: str) -> int:
    """Failed sign-ins (422) from ``address`` in the server's JSON access log."""
    count = 0
    for line in node.log_path.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            count += (entry.get("path"), entry.get("status"), entry.get("remote_addr")) == ("/login", 422, address)
    return count


def check_limits_per_client(proxy_port: int, limit: int, nodes: list[Node]) -> tuple[bool, str]:
    """Failed sign-ins through nginx: counted per client (source address), across both servers."""
    attacker, bystander = Client(proxy_port, "127.0.0.2"), Client(proxy_port, "127.0.0.3")
    statuses = []
    token = attacker.csrf("/login")  # one token for every try, so nginx's round robin alternates the POSTs
    for n in range(limit + 1):
        status, _, _ = attacker.post("/login", {"csrf_token": token, "email": f"nobody-{n}@cluster.example.org",
                                                "password": "not the password"})
        statuses.append(status)
    if statuses[:limit] != [422] * limit or statuses[limit] != 429:
        return False, (f"the client on 127.0.0.2 got {statuses} for {limit + 1} failed sign-ins "
                       f"(wanted {limit}× 422, then 429)")
    status, _, _ = bystander.post("/login", {"csrf_token": bystander.csrf("/login"),
                                             "email": "someone@cluster.example.org", "password": "wrong"})
    if status != 422:
        return False, f"a different client (127.0.0.3) was refused too: {status}"
    forged = bystander.post("/login", {"csrf_token": bystander.csrf("/login"), "email": "x@cluster.example.org",
                                       "password": "wrong"}, headers={"X-Forwarded-For": "127.0.0.9"})[0]
    spoof = attacker.post("/login", {"csrf_token": attacker.csrf("/login"), "email": "y@cluster.example.org",
                                     "password": "wrong"}, headers={"X-Forwarded-For": "127.0.0.4"})[0]
    if forged != 422 or spoof != 429:
        return False, f"a forged X-Forwarded-For changed the client's address: {forged} and {spoof}"
    spread = [failed_sign_ins_logged(node, "127.0.0.2") for node in nodes]
    if sum(spread) != limit or 0 in spread:
        return False, f"the servers logged {spread} failed sign-ins from 127.0.0.2, not {limit} spread over both"
    return True, (f"127.0.0.2 refused after {limit} failures ({' + '.join(map(str, spread))} on the two servers), "
                  "127.0.0.3 still answered, forged X-Forwarded-For ignored")


def check_postgres_restart(nodes: list[Node], accounts: dict) -> tuple[bool, str]:
    chaos.pg_ctl("restart", "-m", "fast")
    recovered = wait_ready([node.port for node in nodes], RECOVERY_LIMIT)
    if recovered is None:
        return False, f"not ready again within {RECOVERY_LIMIT:.0f} s of PostgreSQL's restart"
    for node in nodes:
        client = Client(node.port, "127.0.0.5")
        if client.sign_in(*accounts["diplomat"]) != 302 or client.get("/progress")[0] != 200:
            return False, f"server {node.name} is ready but cannot serve a signed-in page after the restart"
    return True, f"both ready {recovered:.1f} s after the restart, signed-in pages served by each"


def check_one_server_killed(nodes: list[Node], proxy_port: int) -> tuple[bool, str]:
    nodes[0].stop(signal.SIGKILL)
    statuses = [Client(proxy_port).get("/courses/", timeout=10)[0] for _ in range(20)]
    failed = [s for s in statuses if s not in (200, 302)]
    if failed:
        return False, f"with server A killed, requests through nginx answered {statuses}"
    return True, "server A killed: 20 of 20 requests through nginx answered by B"


def run(keep: bool) -> int:
    if not os.path.exists(NGINX):
        reason = "nginx is not installed (Debian's nginx-light; .ci/run installs it)"
        if os.environ.get("CI") == "true":
            print(f"[cluster] FAIL: {reason}", flush=True)
            return 1
        print(f"[cluster] SKIPPED: {reason}", flush=True)
        return 0
    chaos.ensure_postgres_running()
    tmp = Path(tempfile.mkdtemp(prefix="lms-cluster-"))
    run_id = tmp.name.replace("lms-cluster-", "").lower().replace("-", "_")
    db_name = f"lms_cluster_{run_id}"
    redis_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    env = {**os.environ, "LMS_ENV": "production", "DATABASE_URL": load_server.PG_HOST_URL + db_name,
           "REDIS_URL": redis_url, "SECRET_KEY": secrets.token_hex(32), "TRUSTED_PROXIES": "1",
           "QUEUE_NAME": f"cluster-{run_id}", "PYTHONUNBUFFERED": "1"}
    for name in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS"):  # a make that starts make: keep the children plain
        env.pop(name, None)
    nodes: list[Node] = []
    nginx = None
    checks: dict[str, tuple[bool, str]] = {}
    try:
        load_server._pg_admin(f'CREATE DATABASE "{db_name}"')
        clear_redis(redis_url)
        print(f"[cluster] empty database {db_name}, Redis db {REDIS_DB} cleared; starting make run twice", flush=True)
        nodes = start_nodes(tmp, env)
        took = wait_ready([node.port for node in nodes], START_LIMIT, nodes)
        checks["both servers come up"] = (
            took is not None,
            f"both ready in {took:.0f} s" if took is not None else
            "not both ready: " + "; ".join(f"{n.name} exit={n.process.poll()}\n{n.log_tail()}" for n in nodes))
        if took is None:
            return report(checks)
        accounts = demo_accounts(nodes)
        nginx, proxy_port = start_nginx(tmp, nodes)
        print(f"[cluster] nginx on 127.0.0.1:{proxy_port} in front of :{nodes[0].port} and :{nodes[1].port}",
              flush=True)
        limit = int(re.match(r"\d+", env.get("LOGIN_LIMIT_PER_ADDRESS", "30")).group())
        for name, check in (
            ("a session and a CSRF token from one server work on the other",
             lambda: check_shared_session(nodes, accounts)),
            ("a publish and an upload on one server show on the other at once",
             lambda: check_publish_and_upload(nodes, accounts)),
            ("sign-in limits count per client behind the proxy",
             lambda: check_limits_per_client(proxy_port, limit, nodes)),
            ("PostgreSQL restarted: both recover", lambda: check_postgres_restart(nodes, accounts)),
            ("one server killed: the other serves", lambda: check_one_server_killed(nodes, proxy_port)),
        ):
            try:
                checks[name] = check()
            except (AssertionError, OSError, http.client.HTTPException) as exc:
                checks[name] = (False, f"{type(exc).__name__}: {exc}")
            print(f"[cluster] {'PASS' if checks[name][0] else 'FAIL'} {name}: {checks[name][1]}", flush=True)
        return report(checks)
    finally:
        for node in nodes:
            node.stop()
        if nginx is not None and nginx.poll() is None:
            nginx.terminate()
            nginx.wait(timeout=10)
        chaos.ensure_postgres_running()
        with contextlib.suppress(Exception):
            load_server._pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        with contextlib.suppress(Exception):
            clear_redis(redis_url)
        if keep or not all(ok for ok, _ in checks.values()):
            print(f"[cluster] logs kept in {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def report(checks: dict[str, tuple[bool, str]]) -> int:
    print("\n[cluster] results:")
    for name, (ok, detail) in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail.splitlines()[0] if ok else detail}")
    passed = all(ok for ok, _ in checks.values())
    print(f"[cluster] {'PASS' if passed else 'FAIL'}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with the logs")
    sys.exit(run(parser.parse_args().keep))
