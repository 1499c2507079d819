"""Disaggregation cells as canonical text, so uniqueness and look-ups need no join."""

from __future__ import annotations


def dims_key(dims: dict[str, str]) -> str:
    """Canonical text of a disaggregation cell: sorted ``dimension=category`` pairs."""
    if not dims:
        return ""
    return ";".join(f"{d}={dims[d]}" for d in sorted(dims))


def parse_dims_key(key: str) -> dict[str, str]:
    if not key:
        return {}
    return dict(part.split("=", 1) for part in key.split(";"))
