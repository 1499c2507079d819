"""Argument types the commands share, each refusing a wrong value in argparse's one line."""

from __future__ import annotations

import argparse


def programme_codes(text: str) -> list[str]:
    """``RS-01,KR-01`` as codes; at least one."""
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("give at least one programme code")
    return codes


def suppression_threshold(text: str) -> int:
    """The smallest count shown (0 turns suppression off)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("the threshold cannot be negative (0 turns it off)")
    return n
