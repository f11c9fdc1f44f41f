"""Reversible escaping of symbol parts into NATS subject tokens.

A NATS token cannot hold `.`, `*`, `>` or whitespace. We keep a conservative
alphabet as-is (ASCII letters, digits, `_`, `-`, `!`) and write every other
UTF-8 byte as `~XX` (upper-case hex), `~` included, so that escaping is
injective and `unescape_token(escape_token(s)) == s` for every string.
Examples: `BRK.B` -> `BRK~2EB`, `ES1!` -> `ES1!`, `A B` -> `A~20B`.
"""

from __future__ import annotations

from .symbol import Symbol

_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-!")
_HEX = "0123456789ABCDEF"


class InvalidToken(ValueError):
    """A subject token that no symbol part escapes to."""


def escape_token(text: str) -> str:
    if not text:
        raise InvalidToken("cannot escape an empty string into a subject token")
    if all(ch in _SAFE for ch in text):
        return text
    out: list[str] = []
    for ch in text:
        if ch in _SAFE:
            out.append(ch)
        else:
            out.extend(f"~{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def unescape_token(token: str) -> str:
    if "~" not in token:
        if not token or any(ch not in _SAFE for ch in token):
            raise InvalidToken(f"not an escaped subject token: {token!r}")
        return token
    raw = bytearray()
    i = 0
    n = len(token)
    while i < n:
        ch = token[i]
        if ch == "~":
            pair = token[i + 1 : i + 3]
            if len(pair) != 2 or any(c not in _HEX for c in pair):
                raise InvalidToken(f"bad escape at {i} in {token!r}")
            raw.append(int(pair, 16))
            i += 3
        elif ch in _SAFE:
            raw.append(ord(ch))
            i += 1
        else:
            raise InvalidToken(f"unexpected {ch!r} in subject token {token!r}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidToken(f"escaped bytes are not UTF-8 in {token!r}") from exc


def symbol_tokens(symbol: Symbol) -> str:
    """`NYSE:BRK.B` -> `NYSE.BRK~2EB` (two subject tokens)."""
    return f"{escape_token(symbol.exchange)}.{escape_token(symbol.code)}"


def symbol_from_tokens(exchange_token: str, code_token: str) -> Symbol:
    return Symbol(unescape_token(exchange_token), unescape_token(code_token))
