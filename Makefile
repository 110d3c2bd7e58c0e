# Ops Cockpit: the two commands of the README, plus bench and lint.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
export COCKPIT_DB ?= data/cockpit.duckdb

.PHONY: run test bench lint format chromium demo clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## make run: install, seed the demo data into a new database, start the app
run: $(VENV)/.installed
	@if [ ! -f "$(COCKPIT_DB)" ]; then echo "Seeding demo data into $(COCKPIT_DB)"; $(PY) -m cockpit demo --if-empty --db "$(COCKPIT_DB)"; fi
	@# The address: 127.0.0.1 unless sign-in is configured (cockpit/exposure.py says why).
	ADDRESS="$$($(PY) -m cockpit.exposure)" && \
	$(PY) -m streamlit run server.py --server.address "$$ADDRESS" --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## make test: install dev deps, make sure Debian's chromium is present, run every test tier
# Two workers (the machine's two cores), each test file on one worker so a file's servers
# and fixtures are made once; the 20 slowest tests and the time per tier are printed.
test: $(VENV)/.installed-dev chromium
	$(PY) -m pytest -n 2 --dist loadfile --durations=20

chromium:
	@if [ -x /usr/bin/chromium ] && command -v pdftotext >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	else \
		echo "Browser tests need Debian's chromium. Run:  sudo apt-get install -y chromium poppler-utils"; exit 1; \
	fi

bench: $(VENV)/.installed-dev
	$(PY) bench/ingest.py
	$(PY) bench/wide.py
	$(PY) bench/kpis.py
	$(PY) bench/whatif.py
	$(PY) bench/pages.py
	$(PY) bench/api.py

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo: $(VENV)/.installed
	$(PY) -m cockpit demo --db "$(COCKPIT_DB)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
