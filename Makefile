# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test lint install bench clean i18n

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

## Set everything up and start the dashboard on the bundled data (http://127.0.0.1:8050).
run: install
	$(VENV)/bin/africa-presence serve

## Set everything up and run the whole test suite, browser tests included (needs chromium).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/africa-presence validate
	$(PY) -m pytest -p no:cacheprovider -ra
	@echo "(a run that collects no test fails: pytest exits 5)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## Refresh the translation catalogs after changing interface strings (then translate the
## new entries in dashboard/locale/fr/LC_MESSAGES/messages.po and run it again to compile).
i18n: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k t -k N_ -k n:1,2 -k translate:2 --no-location \
		--project africa-presence -o dashboard/locale/messages.pot dashboard
	$(VENV)/bin/pybabel update -i dashboard/locale/messages.pot -d dashboard/locale --no-wrap
	$(VENV)/bin/pybabel compile -d dashboard/locale

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) build dist *.egg-info
