"""The content hash of a snapshot: SHA-256 of its canonical JSON (sorted keys, no whitespace)."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any


def canonical(value: Any) -> Any:
    """``value`` with floats rounded to 10 significant digits and NaN as None (stable across runs)."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(f"{value:.10g}")
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return value


def canonical_json(value: Any) -> str:
    """The canonical JSON text of ``value`` (what the hash is taken over)."""
    return json.dumps(
        canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def content_hash(value: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``value``."""
    return "sha256:" + hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
