"""The chart page as a test drives it: what a user does, and what the page exposes.

The chart element carries what it shows as data attributes (`data-candle-count`,
`data-last-close`, `data-live-updates`, `data-first-candles-ms`, ...): the tests read
those, and the screenshots show the same thing to a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from playwright.sync_api import ConsoleMessage, Page

WAIT_MS = 90_000  # a generous deadline: two cores are shared by many stacks


@dataclass
class ChartPage:
    page: Page
    gateway_url: str
    api_key: str
    console_errors: list[str] = field(default_factory=list)
    request_urls: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("request", lambda request: self.request_urls.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def _console(self, message: ConsoleMessage) -> None:
        # A 404 the page expects (no quote yet, an untracked symbol) is logged by Chromium
        # too; the tests check what the page says instead. CSP refusals and script errors
        # are kept.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(message.text)

    def open(self, symbol: str, interval: str, *, key: str | None = None) -> None:
        fragment = urlencode({"key": key or self.api_key, "symbol": symbol, "interval": interval})
        self.page.goto(f"{self.gateway_url}/ui/#{fragment}")
        self.page.wait_for_selector("body[data-ready='yes']", timeout=WAIT_MS)

    def chart(self, name: str) -> str:
        value = self.page.get_attribute("#chart", f"data-{name}")
        return value or ""

    @property
    def candle_count(self) -> int:
        return int(self.chart("candle-count") or 0)

    def wait_chart(self, condition: str, timeout_ms: int = WAIT_MS) -> None:
        """Wait until `condition`, a JS expression over `c` (the chart element's dataset)."""
        dataset = "const c = document.getElementById('chart').dataset"
        script = f"() => {{ {dataset}; return {condition}; }}"
        self.page.wait_for_function(script, timeout=timeout_ms)

    def drag_chart_right(self, pixels: int = 600) -> None:
        """Pan the chart towards older bars, as a user drags it with the mouse."""
        box = self.page.locator("#chart").bounding_box()
        assert box is not None
        x, y = box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.4
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        self.page.mouse.move(x + pixels, y, steps=12)
        self.page.mouse.up()

    def status_text(self) -> str:
        return self.page.inner_text("#status") if self.page.is_visible("#status") else ""

    def submit(self, form: str, **fields: str) -> None:
        for selector, value in fields.items():
            target = f"#{selector.replace('_', '-')}"
            if self.page.eval_on_selector(target, "e => e.tagName") == "SELECT":
                self.page.select_option(target, value)
            else:
                self.page.fill(target, value)
        self.page.click(f"#{form} button[type=submit]")
