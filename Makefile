# Two commands do all set-up on a fresh machine with Python 3.11, pip and make:
#   make run   - environment, install, hand model, then the app
#   make test  - the same set-up, the browser for end-to-end tests, lint and every test
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/hand_landmarker.task

.PHONY: setup run run-lan test fuzz agree bench load lint browser samples clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

$(MODEL): $(VENV)/.installed
	$(BIN)/trainer models fetch

setup: $(VENV)/.installed $(MODEL)

# Debian's packages the tests use: chromium for Playwright (its own browser download cannot
# run here) and PostgreSQL's server programs for the store's tests on a real server.
browser:
	@command -v chromium >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 \
	  || { apt-get update -qq && apt-get install -y -qq chromium postgresql >/dev/null; }

# Streamlit's own upload limit follows TRAINER_MAX_UPLOAD_MB, so the app's message is the one seen.
# serve.py is app.py with its login routes; it prints the first admin's one-time link.
# `make run` answers this machine only; `make run-lan` the school's network, over HTTPS.
STREAMLIT := $(BIN)/streamlit run serve.py --server.headless true \
	--browser.gatherUsageStats false --server.maxUploadSize $${TRAINER_MAX_UPLOAD_MB:-200}
run: setup
	$(STREAMLIT) --server.address 127.0.0.1

# A self-signed certificate made on first run in the data folder, unless TRAINER_TLS_CERT and
# TRAINER_TLS_KEY name the school's own files; TRAINER_LAN_ADDRESS narrows where it listens.
# Streamlit prints the address it is reached at (this machine's LAN address when it listens on
# all), given as browser.serverAddress: not .streamlit/config.toml's localhost, and no lookup.
TLS_DIR = $${TRAINER_DATA_DIR:-$${XDG_DATA_HOME:-$$HOME/.local/share}/trainer}/tls
run-lan: setup
	@cert="$${TRAINER_TLS_CERT}"; key="$${TRAINER_TLS_KEY}"; \
	if [ -z "$$cert" ]; then set -- $$($(BIN)/python -m trainer.ui.serving cert "$(TLS_DIR)"); \
	  cert=$$1; key=$$2; fi; \
	listen="$${TRAINER_LAN_ADDRESS:-0.0.0.0}"; \
	shown=$$($(BIN)/python -m trainer.ui.serving address "$$listen"); \
	$(STREAMLIT) --server.address "$$listen" --browser.serverAddress "$$shown" \
	  --server.sslCertFile "$$cert" --server.sslKeyFile "$$key"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: setup browser lint
	$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest ran no test: failing"; fi; exit $$rc

# The fuzz suite alone, forty times the examples `make test` runs (about an hour here).
fuzz: setup
	TRAINER_FUZZ=long $(BIN)/pytest -m fuzz tests/test_fuzz.py

# Practice in Chromium against `trainer review` for every sample with the mirror on and off
# (make test plays each once, the mirror alternating): about 30 minutes here.
agree: setup browser
	TRAINER_AGREE=all $(BIN)/pytest -s tests/test_app_agrees_browser.py

bench: setup
	$(BIN)/python benchmarks/run.py

# Load and soak (issue 13), outside `make bench` for their length: five sessions at once, a
# 60-minute live Practice run (about 35 minutes here) and a review of a 30-minute video.
load: setup
	$(BIN)/python benchmarks/load_sessions.py
	$(BIN)/python benchmarks/soak_practice.py
	$(BIN)/python benchmarks/review_memory.py --minutes 5 30

samples: setup
	$(BIN)/trainer samples make --out sample_videos

clean:
	rm -rf $(VENV) $(MODEL) .pytest_cache .ruff_cache test-artifacts
