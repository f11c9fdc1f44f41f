"""Write (or check) the committed API documents: docs/openapi.json and docs/asyncapi.json.

python -m pq_gateway.docs_export            # regenerate into ./docs
python -m pq_gateway.docs_export --check    # exit 1 when the committed copies drift
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .docs.asyncapi import asyncapi_document
from .main import create_app
from .settings import GatewaySettings


def rendered(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def documents() -> dict[str, str]:
    # Default settings, never the environment's: the documents must not vary by machine.
    app = create_app(GatewaySettings.model_construct())
    return {"openapi.json": rendered(app.openapi()), "asyncapi.json": rendered(asyncapi_document())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pq_gateway.docs_export")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder (default: docs)")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    drifted = []
    for name, text in documents().items():
        path: Path = args.out / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                drifted.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    if drifted:
        print(f"out of date: {', '.join(drifted)}; run python -m pq_gateway.docs_export")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
