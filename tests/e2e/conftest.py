"""Browser tests: Playwright (sync API) driving the system's Chromium against a live server.

Never downloads a browser: the executable comes from CHROMIUM_PATH (default /usr/bin/chromium).
Every test in this folder is marked ``e2e``; tests/conftest.py decides what happens when the
browser is missing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# ORM calls the tests make to set up data ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# tryfirst: the marker must exist before `-m` filtering and the browser rule in tests/conftest.py.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not only this folder's.
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def chromium_executable() -> str:
    return os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    root = Path(__file__).resolve().parents[2]
    path = Path(os.environ.get("VOCATIONS_SCREENSHOT_DIR") or root / "artifacts" / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


class PageOpener:
    """Opens pages of the live server at a given viewport width; records off-site requests."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.offsite_requests: list[str] = []
        # Content-Security-Policy violations the browser reports (blocked inline script or
        # style, a source the policy does not allow): any one fails the test.
        self.csp_violations: list[str] = []
        self._contexts = []
        self._origin = urlsplit(base_url).netloc

    def __call__(self, path: str = "/", *, width: int = 1280, height: int = 800):
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, locale="fr-FR", base_url=self.base_url
        )
        self._contexts.append(context)
        # No network outside the live server: pages must not depend on a CDN or a tracker.
        context.route("**/*", self._route)
        page = context.new_page()
        page.on("console", self._console)
        page.goto(path)
        return page

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def _route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == self._origin or url.startswith(("data:", "about:")):
            route.continue_()
        else:
            self.offsite_requests.append(url)
            route.abort()

    def close(self) -> None:
        for context in self._contexts:
            context.close()


@pytest.fixture
def open_page(browser, live_server, transactional_db) -> Iterator[Callable]:
    opener = PageOpener(browser, live_server.url)
    try:
        yield opener
    finally:
        opener.close()
    assert opener.csp_violations == [], opener.csp_violations


@pytest.fixture(autouse=True)
def _robot_speed_forms(settings):
    # Playwright fills a form in milliseconds, faster than the anti-bot minimum a person needs
    # (vocations/web/registration/guard.py); that check is tested in web/tests/test_abuse.py.
    # The signed stamp and the honeypot are still checked here.
    settings.PUBLIC_FORM_MIN_SECONDS = 0
