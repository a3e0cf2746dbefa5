"""Share links: a whole scenario (model spec and base) as compact URL-safe text.

The browser makes the same text with ``CompressionStream('deflate-raw')`` and base64url, so a link
made in the page decodes here and the other way round.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from .._errors import InputError, Problem
from .._input import load_json

MAX_TOKEN_CHARS = 1_000_000
"""Longest share token accepted (the request body cap applies too)."""
MAX_INFLATED = 5 * 1024 * 1024
"""Largest decompressed scenario accepted (guards against compression bombs)."""


def encode_scenario(scenario: dict[str, Any]) -> str:
    """A scenario dict -> base64url(deflate-raw(JSON)), no padding."""
    raw = json.dumps(scenario, separators=(",", ":"), ensure_ascii=False).encode()
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(raw) + packer.flush()
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_scenario(token: str) -> dict[str, Any]:
    """The scenario dict inside a share token; a damaged token raises InputError."""
    where = "share link"
    if len(token) > MAX_TOKEN_CHARS:
        raise InputError(Problem(where, "the link is too long", "save the scenario instead"))
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        unpacker = zlib.decompressobj(-15)
        raw = unpacker.decompress(packed, MAX_INFLATED)
        if unpacker.unconsumed_tail:
            raise InputError(Problem(where, "the scenario is over 5 MB", "save it instead"))
        text = raw.decode()
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise InputError(Problem(where, "the link is damaged or incomplete",
                                 "copy the whole link again")) from None
    try:  # nesting, duplicate keys and huge integers are refused with their location
        data = load_json(text, origin=where)
    except InputError as e:
        raise InputError(e.problems, title="the share link holds no valid scenario") from None
    if not isinstance(data, dict) or not isinstance(data.get("model"), dict):
        raise InputError(Problem(where, "the link holds no model", "copy the whole link again"))
    return data
