"""GET /ui/: the chart page, the built single-page app from PQ_UI_DIR (`make install` builds it).

Hashed files under assets/ never change, so browsers keep them for a year; index.html and
the rest are revalidated on every load, so a new build shows at once. Every answer carries
a Content-Security-Policy that allows only this origin: the page loads nothing else, and
its API key never leaves it but in the Authorization header of its own requests.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ..problems import ProblemError

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; object-src 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>PocketQuant chart page not built</title></head><body>
<h1>The chart page was not built</h1>
<p>The gateway found no built page in its UI folder (PQ_UI_DIR). Install Node.js and npm,
then run <code>make install</code> (or <code>make up</code>) again.</p></body></html>"""


def ui_router(ui_dir: Path) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/ui")
    async def ui_root() -> Response:
        return RedirectResponse("/ui/", status_code=308, headers=SECURITY_HEADERS)

    @router.get("/ui/{path:path}")
    def ui_file(path: str) -> Response:  # sync: FastAPI runs it in a thread (file stats)
        root = ui_dir.resolve()
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(NOT_BUILT, status_code=503, headers=SECURITY_HEADERS)
        target = (root / path).resolve() if path else index
        if not target.is_relative_to(root) or not target.is_file():
            raise ProblemError(404, f"no file /ui/{path} in the chart page")
        cache = IMMUTABLE if target.parent == root / "assets" else REVALIDATE
        return FileResponse(target, headers={**SECURITY_HEADERS, "Cache-Control": cache})

    return router
