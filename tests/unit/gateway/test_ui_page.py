"""GET /ui/: the built chart page with cache headers and a self-only CSP; a plain page
when it was never built; nothing outside its folder."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from pq_gateway.api.error_handlers import install_error_handlers
from pq_gateway.api.routers.ui import ui_router
from pq_gateway.settings import GatewaySettings


def client_for(ui_dir: Path) -> httpx.AsyncClient:
    app = FastAPI()
    app.include_router(ui_router(ui_dir))
    install_error_handlers(app)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


@pytest.fixture
def built_ui(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>chart</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    return tmp_path


async def test_index_is_revalidated_and_allows_only_self(built_ui: Path) -> None:
    async with client_for(built_ui) as client:
        page = await client.get("/ui/")
    assert page.status_code == 200
    assert "<title>chart</title>" in page.text
    assert page.headers["cache-control"] == "no-cache"
    csp = page.headers["content-security-policy"]
    assert csp.startswith("default-src 'self';")
    assert "unsafe" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_hashed_assets_are_immutable(built_ui: Path) -> None:
    async with client_for(built_ui) as client:
        asset = await client.get("/ui/assets/index-abc123.js")
        icon = await client.get("/ui/favicon.svg")
    assert asset.status_code == 200
    assert "javascript" in asset.headers["content-type"]
    assert "immutable" in asset.headers["cache-control"]
    assert icon.headers["cache-control"] == "no-cache"


async def test_missing_files_and_escapes_are_404_problems(built_ui: Path) -> None:
    async with client_for(built_ui) as client:
        for path in ("/ui/nope.js", "/ui/../secret.txt", "/ui/%2e%2e/secret.txt", "/ui/assets"):
            answer = await client.get(path)
            assert answer.status_code == 404, path
            assert "not for the web" not in answer.text


async def test_bare_ui_redirects_to_the_page(built_ui: Path) -> None:
    async with client_for(built_ui) as client:
        answer = await client.get("/ui")
    assert answer.status_code == 308
    assert answer.headers["location"] == "/ui/"


async def test_an_unbuilt_page_says_so(tmp_path: Path) -> None:
    async with client_for(tmp_path / "missing") as client:
        answer = await client.get("/ui/")
    assert answer.status_code == 503
    assert "not built" in answer.text
    assert "Node.js" in answer.text


def test_the_default_folder_is_the_repository_build() -> None:
    assert GatewaySettings().ui_dir == Path(__file__).resolve().parents[3] / "ui" / "dist"
