"""Ask every gateway all the time, from a thread, and record what failed when.

Each round sends a read (the latest quote of a live symbol) to every gateway, and every
`write_every` rounds a sync command to one of them (round-robin): the accepted job ids
are kept to check later that none was lost. A failure is a 5xx answer or no answer.
`sample`, when given, is called every fifth round and its maximum kept.
`outage(gateway, since)` is the span from the first to the last failure after `since`:
the window during which that gateway did not serve.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx


@dataclass
class GatewayProber:
    gateways: dict[str, str]  # process name -> base URL
    headers: dict[str, str]
    read_path: str
    sync_bodies: Sequence[dict[str, object]]
    sample: Callable[[], float] | None = None  # e.g. the oldest unsent outbox row's age
    interval_s: float = 0.2
    write_every: int = 10
    sampled_max: float = 0.0
    failures: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    jobs: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="gateway-prober", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)

    def _run(self) -> None:
        bodies = itertools.cycle(self.sync_bodies)
        writers = itertools.cycle(sorted(self.gateways))
        with httpx.Client(headers=self.headers, timeout=10) as client:
            for turn in itertools.count():
                if self._stop.wait(self.interval_s):
                    return
                for name, url in self.gateways.items():
                    self._ask(client, name, "GET", f"{url}{self.read_path}", None)
                if self.sample is not None and turn % 5 == 0:
                    self.sampled_max = max(self.sampled_max, self.sample())
                if turn % self.write_every == 0:
                    name = next(writers)
                    body = next(bodies)
                    answer = self._ask(client, name, "POST", f"{self.gateways[name]}/v1/sync", body)
                    if answer is not None and answer.status_code == 202:
                        self.jobs.append(str(answer.json()["job_id"]))

    def _ask(
        self, client: httpx.Client, name: str, method: str, url: str, body: object
    ) -> httpx.Response | None:
        self.requests[name] = self.requests.get(name, 0) + 1
        try:
            answer = client.request(method, url, json=body)
        except httpx.HTTPError as exc:
            self.failures.setdefault(name, []).append((time.monotonic(), type(exc).__name__))
            return None
        if answer.status_code >= 500:
            self.failures.setdefault(name, []).append(
                (time.monotonic(), f"{method} {answer.status_code}")
            )
        return answer

    def outage(self, gateway: str, since: float, until: float | None = None) -> float:
        """Seconds from the first to the last failure of `gateway` in [since, until]; 0: none."""
        end = until if until is not None else float("inf")
        times = [at for at, _ in self.failures.get(gateway, []) if since <= at <= end]
        return (max(times) - min(times) + self.interval_s) if times else 0.0

    def failed(self, gateway: str, since: float, until: float | None = None) -> list[str]:
        end = until if until is not None else float("inf")
        return [what for at, what in self.failures.get(gateway, []) if since <= at <= end]
