"""Simulator settings (`PQ_TVSIM_*`); tests build one directly with port 0."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .accounts import Account, default_accounts, parse_accounts
from .clock import SimClock
from .faults import Faults
from .universe import SymbolSpec, load_universe

ANONYMOUS_TOKEN = "unauthorized_user_token"


@dataclass(slots=True)
class SimulatorConfig:
    host: str = "127.0.0.1"
    port: int = 18765  # 0: any free port (tests)
    seed: int = 1
    speed: float = 1.0  # event time runs this many times faster than the wall clock
    start_ms: int | None = None  # event time at start-up; None: the wall clock
    heartbeat_interval_s: float = 10.0
    heartbeat_timeout_s: float = 30.0  # drop a client that echoed no heartbeat for this long
    stream_interval_s: float = 0.1  # how often quotes and `du` updates are pushed
    max_bars_per_round: int = 5000
    repeat_bars_probability: float = 0.3  # a more-data round repeats some already-sent bars
    accepted_tokens: frozenset[str] = frozenset({ANONYMOUS_TOKEN, "sim_pro_token"})
    accounts: dict[str, Account] = field(default_factory=default_accounts)
    token_ttl_s: float = 14400.0  # a signed-in token's lifetime, as TradingView's JWTs have
    universe: dict[str, SymbolSpec] = field(default_factory=load_universe)
    faults: Faults = field(default_factory=Faults)

    def clock(self) -> SimClock:
        """The wall clock itself by default; a fixed start and/or a speed for tests."""
        if self.start_ms is None and self.speed == 1:
            return SimClock.present()
        start = self.start_ms if self.start_ms is not None else time.time_ns() // 1_000_000
        return SimClock(start, self.speed)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SimulatorConfig:
        env = os.environ if env is None else env
        config = cls()
        # PQ_HTTP_* as every service reads them: a container image sets those for all.
        if host := env.get("PQ_TVSIM_HOST", env.get("PQ_HTTP_HOST")):
            config.host = host
        if port := env.get("PQ_TVSIM_PORT", env.get("PQ_HTTP_PORT")):
            config.port = int(port)
        if "PQ_TVSIM_SEED" in env:
            config.seed = int(env["PQ_TVSIM_SEED"])
        if "PQ_TVSIM_SPEED" in env:
            config.speed = float(env["PQ_TVSIM_SPEED"])
        if "PQ_TVSIM_START" in env:  # ISO 8601 with an offset, e.g. 2024-03-06T15:00:00+00:00
            config.start_ms = int(datetime.fromisoformat(env["PQ_TVSIM_START"]).timestamp() * 1000)
        if "PQ_TVSIM_START_MS" in env:  # the same as epoch milliseconds
            config.start_ms = int(env["PQ_TVSIM_START_MS"])
        if "PQ_TVSIM_HEARTBEAT_S" in env:
            config.heartbeat_interval_s = float(env["PQ_TVSIM_HEARTBEAT_S"])
            config.heartbeat_timeout_s = 3 * config.heartbeat_interval_s
        if "PQ_TVSIM_UNIVERSE" in env:
            config.universe = load_universe(Path(env["PQ_TVSIM_UNIVERSE"]))
        if "PQ_TVSIM_TOKENS" in env:  # extra accepted tokens, comma-separated
            extra = {t for t in env["PQ_TVSIM_TOKENS"].split(",") if t}
            config.accepted_tokens = config.accepted_tokens | extra
        if "PQ_TVSIM_USERS" in env:  # name:password[:captcha|2fa],...
            config.accounts = default_accounts() | parse_accounts(env["PQ_TVSIM_USERS"])
        if "PQ_TVSIM_TOKEN_TTL_S" in env:
            config.token_ttl_s = float(env["PQ_TVSIM_TOKEN_TTL_S"])
        if "PQ_TVSIM_DROP_EVERY_S" in env:
            config.faults.drop_every_s = float(env["PQ_TVSIM_DROP_EVERY_S"])
        if "PQ_TVSIM_MALFORMED_RATE" in env:
            config.faults.malformed_rate = float(env["PQ_TVSIM_MALFORMED_RATE"])
        if "PQ_TVSIM_REPLY_DELAY_S" in env:
            config.faults.reply_delay_s = float(env["PQ_TVSIM_REPLY_DELAY_S"])
        if "PQ_TVSIM_REJECT_SYMBOLS" in env:
            config.faults.reject_symbols = env["PQ_TVSIM_REJECT_SYMBOLS"].split(",")
        return config
