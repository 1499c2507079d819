# Two commands set everything up on a fresh machine:
#   make run   - create .venv, install coprod-me, start the app on the default database
#   make test  - the same set-up, then the whole test suite, headless
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: run test lint bench screenshots samples docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/coprod-me

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy coprod_me/model coprod_me/queries coprod_me/store coprod_me/services coprod_me/spreadsheets coprod_me/reports

# Every benchmarks/bench_*.py, each printing its ratio to a bare floor measured in the same run.
bench: $(STAMP)
	@set -e; for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b; done

# PNGs of the main views into docs/screenshots/, from the real app on a virtual screen
# (Xvfb when installed, Qt's offscreen platform otherwise).
screenshots: $(STAMP)
	@if command -v xvfb-run >/dev/null; then \
	  xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) tools/screenshots.py; \
	else \
	  echo "xvfb-run not found (apt-get install xvfb xauth); using the offscreen platform"; \
	  QT_QPA_PLATFORM=offscreen $(PY) tools/screenshots.py; \
	fi

# Regenerate the shipped sample workbooks and the workbook format reference.
samples: $(STAMP)
	$(PY) tools/build_sample_programmes.py

docs: $(STAMP)
	$(PY) -m coprod_me.spreadsheets.programme_workbook > docs/workbook-format.md
	$(PY) tools/make_rules_doc.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
