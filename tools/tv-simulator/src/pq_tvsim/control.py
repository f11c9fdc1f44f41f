"""`/control/*`: inspect and change faults while the simulator runs.

GET    /control/faults            the current faults
POST   /control/faults  {...}     change the given fields, e.g. {"drop_every_s": 10}
DELETE /control/faults            back to no faults
POST   /control/drop              cut every connection now
GET    /control/status            connections, event time, history rounds pending, sign-ins
POST   /control/revoke_tokens     every auth token signed so far becomes a bad auth token
POST   /control/clock   {"speed", "until_ms"?, "then"?}
                                  event time goes on at this speed from where it is (0: still);
                                  with until_ms, only until then, and at `then` after it
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .faults import Faults, InvalidFaults

if TYPE_CHECKING:
    from .server import Simulator


def control_routes(sim: Simulator) -> list[web.RouteDef]:
    faults = sim.world.faults

    async def get_faults(request: web.Request) -> web.Response:
        return web.json_response(faults.as_dict())

    async def post_faults(request: web.Request) -> web.Response:
        try:
            changes = await request.json()
            if not isinstance(changes, dict):
                raise InvalidFaults("the body must be a JSON object")
            faults.update(changes)
        except (ValueError, InvalidFaults) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response(faults.as_dict())

    async def delete_faults(request: web.Request) -> web.Response:
        faults.update(Faults().as_dict())
        return web.json_response(faults.as_dict())

    async def drop(request: web.Request) -> web.Response:
        return web.json_response({"dropped": sim.drop_all()})

    async def revoke_tokens(request: web.Request) -> web.Response:
        sim.world.tokens.revoke_all()
        return web.json_response({"revoked": True})

    async def set_clock(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            if not isinstance(body, dict):
                raise ValueError('the body must be {"speed": N[, "until_ms": T, "then": M]}')
            until_ms = body.get("until_ms")
            if until_ms is not None and (
                isinstance(until_ms, bool) or not isinstance(until_ms, int)
            ):
                raise ValueError("until_ms must be epoch milliseconds")
            then = body.get("then")
            sim.world.clock.set_speed(
                _number(body.get("speed"), "speed"),
                until_ms=until_ms,
                then=None if then is None else _number(then, "then"),
            )
        except ValueError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        clock = sim.world.clock
        return web.json_response({"event_time_ms": clock.now_ms(), "speed": clock.speed})

    async def status(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "connections": len(sim.connections),
                "connections_accepted": sim.connections_accepted,
                "event_time_ms": sim.world.clock.now_ms(),
                "history_rounds_pending": sim.world.history.pending,
                "signins": dict(sim.world.signins),
                "tokens_issued": sim.world.tokens.issued,
                "bad_tokens": sim.world.tokens.bad_tokens,
                "speed": sim.world.clock.speed,
                "symbols": len(sim.config.universe),
            }
        )

    return [
        web.get("/control/faults", get_faults),
        web.post("/control/faults", post_faults),
        web.delete("/control/faults", delete_faults),
        web.post("/control/drop", drop),
        web.get("/control/status", status),
        web.post("/control/revoke_tokens", revoke_tokens),
        web.post("/control/clock", set_clock),
    ]


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")
    return float(value)
