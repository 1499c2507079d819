"""Save PNGs of the main views into docs/screenshots/ (run by `make screenshots`).

Starts the real main window on a fresh database with the five sample programmes and grabs
each view once the event loop has drawn it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from coprod_me.gui.app import make_application
    from coprod_me.gui.main_window import MainWindow
    from coprod_me.services import Services
    from coprod_me.services.database import load_samples

    app = make_application([sys.argv[0]])
    tmp = Path(tempfile.mkdtemp())
    services = Services.open(tmp / "screenshots.sqlite")
    load_samples(services.store)
    services.risk_runs.run("RS-01")  # so the Risks view and the badges show the sample's flags
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(services, settings)
    window.resize(1500, 900)
    window.show()
    OUT.mkdir(parents=True, exist_ok=True)
    shots: list[tuple[str, str, str]] = [("main-overview", "RS-01", "Overview")]
    shots += [(f"main-{name.lower()}", "RS-01", name)
              for name in ("Profile", "Indicators", "Observations", "Records", "Charts",
                          "Risks", "History")]
    tab_titles = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    saved: list[Path] = []

    def take(i: int = 0) -> None:
        if i >= len(shots):
            app.quit()
            return
        name, code, tab = shots[i]
        if tab in tab_titles:
            window.select(code)
            window.table.expand(window.table.currentIndex())  # show the strands too
            window.tabs.setCurrentIndex(tab_titles.index(tab))
            if tab == "Risks" and window.risks_tab.model.rowCount():
                window.risks_tab.table.selectRow(0)
            QApplication.processEvents()

            def grab() -> None:
                path = OUT / f"{name}.png"
                window.grab().save(str(path))
                saved.append(path)
                take(i + 1)

            QTimer.singleShot(600, grab)
        else:
            take(i + 1)

    QTimer.singleShot(800, take)
    app.exec()
    services.close()
    for p in saved:
        print(f"saved {p.relative_to(ROOT)}")
    return 0 if saved else 1


if __name__ == "__main__":
    os.environ.setdefault("QT_SCALE_FACTOR", "1")
    sys.exit(main())
