"""The chart page in a real headless Chromium (Debian's `chromium`), against the whole stack.

- `ui_stack`: `pq up` on free ports, once for these tests (the simulator's fixed Saturday:
  stocks closed, crypto trading). Streams are limited to 120 a minute for it, since every
  test opens the page, and so a live connection, again.
- `browser`: Chromium driven by Playwright, never a browser Playwright downloaded.
- `chart_page`: a fresh tab (its own sessionStorage); its screenshot is saved at the end
  under `.artifacts/browser/` (or PQ_ARTIFACTS_DIR), and the path printed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.chart_page import ChartPage
from tests.support.stack_runner import E2eStack, start_stack

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]


def artifacts_dir() -> Path:
    path = Path(os.environ.get("PQ_ARTIFACTS_DIR", REPO / ".artifacts")) / "browser"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _needs(what: str, fix: str) -> None:
    """Missing prerequisites fail in CI and skip elsewhere, naming the fix."""
    message = f"{what}: {fix}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="package")
def ui_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[E2eStack]:
    if not (REPO / "ui" / "dist" / "index.html").is_file():
        _needs("the chart page is not built", "install Node.js and npm, then `make install`")
    stack = start_stack(tmp_path_factory.mktemp("browser") / "pq", PQ_RATE_LIMIT_STREAMS="120/60")
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="package")
def api(ui_stack: E2eStack) -> Iterator[httpx.Client]:
    """The REST API with the dev key: what the tests check the page against."""
    with httpx.Client(
        base_url=ui_stack.gateway_url, headers=ui_stack.auth_headers(), timeout=30
    ) as client:
        yield client


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _needs("no /usr/bin/chromium", "apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def chart_page(
    browser: Browser, ui_stack: E2eStack, request: pytest.FixtureRequest
) -> Iterator[ChartPage]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = ChartPage(context.new_page(), ui_stack.gateway_url, ui_stack.api_key or "")
    try:
        yield page
    finally:
        shot = artifacts_dir() / f"{request.node.name}.png"
        page.page.screenshot(path=str(shot), full_page=True)
        print(f"\nscreenshot: {shot}")
        context.close()
