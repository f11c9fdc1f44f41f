"""`Annotated` dependency aliases of the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..resources import QueryResources


def resources(request: Request) -> QueryResources:
    found: QueryResources = request.app.state.resources
    return found


ResourcesDep = Annotated[QueryResources, Depends(resources)]
