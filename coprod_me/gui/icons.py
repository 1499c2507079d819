"""The action icons: SVG files in resources/icons, so they stay sharp at any scaling."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from coprod_me.paths import resource


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; a missing file is a packaging bug."""
    path = resource("icons", f"{name}.svg")
    if not path.is_file():
        raise FileNotFoundError(f"icon {path} is missing from the package")
    return QIcon(str(path))
