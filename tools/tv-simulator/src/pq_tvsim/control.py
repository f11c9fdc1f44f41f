"""`/control/*`: inspect and change faults while the simulator runs.

GET    /control/faults            the current faults
POST   /control/faults  {...}     change the given fields, e.g. {"drop_every_s": 10}
DELETE /control/faults            back to no faults
POST   /control/drop              cut every connection now
GET    /control/status            connections, event time, history rounds pending, sign-ins
POST   /control/revoke_tokens     every auth token signed so far becomes a bad auth token
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
                "speed": sim.config.speed,
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
    ]
