"""`make screenshots`: the README's pictures, taken from the product as `make run` serves it.

A throw-away instance is prepared as `make run` prepares one (migrations, `courses/` and `quizzes/`, the demo
accounts and organisation), served by gunicorn with the deployed settings, and photographed with the browser
set-up of the browser tests (Debian's Chromium driven by Playwright): the learner on a 360 px phone, the
coordinator's dashboard and the trainers' studio at 1280 px. The pictures go to docs/screenshots/.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lms-screenshots-") as instance:
        env = {**os.environ, "LMS_INSTANCE_PATH": instance, "DATABASE_URL": f"sqlite:///{instance}/lms.sqlite3",
               "PORT": str(_free_port())}
        for name in ("REDIS_URL", "LMS_ENV"):  # the embedded default, whatever the caller's shell says
            env.pop(name, None)
        subprocess.run([BIN / "flask", "--app", "lms", "prepare"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        passwords = _demo_passwords(Path(instance) / "demo-accounts.txt")
        server = subprocess.Popen([BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "lms:create_app()"], env=env,
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{env['PORT']}"
            _wait_until_ready(base)
            _photograph(base, passwords)
        finally:
            server.terminate()
            server.wait(timeout=30)
    for picture in sorted(OUT.glob("*.png")):
        print(f"{picture.relative_to(ROOT)}: {picture.stat().st_size // 1024} KB")
    return 0


def _photograph(base: str, passwords: dict[str, str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        learner = _signed_in(browser, base, "diplomat@example.org", passwords, PHONE)
        learner.goto(f"{base}/courses/")
        learner.locator("main a[href^='/courses/']").first.click()
        _save(learner, "learner-phone-course")
        learner.goto(base + _first_lesson(learner))
        _save(learner, "learner-phone-lesson")
        coordinator = _signed_in(browser, base, "coordinator@example.org", passwords, DESKTOP)
        coordinator.goto(f"{base}/reports/")
        _save(coordinator, "coordinator-dashboard")
        trainer = _signed_in(browser, base, "trainer@example.org", passwords, DESKTOP)
        trainer.goto(f"{base}/studio/")
        _save(trainer, "studio")
        browser.close()


def _first_lesson(course_page: Page) -> str:
    """The first lesson's address in a course page's outline: /courses/<course>/<module>/<lesson>."""
    links = course_page.locator("main a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    return next(href for href in links if re.fullmatch(r"/courses/[^/]+/[^/]+/[^/]+", href or "")
                and not href.endswith("/quiz"))


def _signed_in(browser, base: str, email: str, passwords: dict[str, str], viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(passwords[email])
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _save(page: Page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=OUT / f"{name}.png")


def _demo_passwords(accounts: Path) -> dict[str, str]:
    """email -> password, from the file `make run` prints and keeps (see lms/demo)."""
    found = dict(re.findall(r"(\S+@\S+)\s+password: (\S+)", accounts.read_text()))
    if not found:
        sys.exit(f"no demo accounts in {accounts}")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
