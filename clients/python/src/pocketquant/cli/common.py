"""What every SDK command shares: one client, error reporting and exit codes."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable

from rich.console import Console

from ..client import Client
from ..errors import Invalid, PocketQuantError, SyncFailed

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

stderr = Console(stderr=True)


def make_client() -> Client:
    """The SDK's client, configured as `Client()` is (PQ_URL, PQ_API_KEY, the local stack)."""
    return Client()


def reported(
    run: Callable[[argparse.Namespace, Client], int],
) -> Callable[[argparse.Namespace], int]:
    """`run(args, client)` with errors printed as one line on stderr and an exit code."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            with make_client() as client:
                return run(args, client)
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except Invalid as error:
            where = f" ({error.field})" if error.field else ""
            stderr.print(f"pq {args.command}: invalid{where}: {error}", markup=False)
            return EXIT_USAGE
        except SyncFailed as error:
            stderr.print(f"pq {args.command}: sync failed: {error}", markup=False)
            return EXIT_ERROR
        except (PocketQuantError, ImportError, ValueError, TimeoutError) as error:
            stderr.print(f"pq {args.command}: {error}", markup=False)
            return EXIT_ERROR

    return wrapper


def fail(command: str, message: str) -> int:
    print(f"pq {command}: {message}", file=sys.stderr)
    return EXIT_USAGE
