# Two commands on a fresh machine:
#   make run    installs everything, upgrades the database, loads the demo data, serves the app
#               (at http://127.0.0.1:5000; another port: make run PORT=5202)
#   make test   installs what the tests need (chromium included) and runs every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := wsgi
# flask run serves here, and flask demo prints this address: `make run PORT=5202`.
export FLASK_RUN_HOST := $(HOST)
export FLASK_RUN_PORT := $(PORT)

.PHONY: run test install install-dev browser db demo serve lint bandit bench css clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask demo

# The demo administrator signs in without a second factor here (development only;
# production always requires one: see README, "Running it for real").
serve:
	REQUIRE_ADMIN_2FA=0 $(BIN)/flask run --host $(HOST) --port $(PORT)

run: demo serve

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: install-dev browser
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)
	$(BIN)/bandit -q -c pyproject.toml -r tracker

bandit: install-dev
	$(BIN)/bandit -c pyproject.toml -r tracker

css:
	cd static/src && npm install --no-save sass@1 govuk-frontend@6.3.0 && \
	  npx sass --load-path=node_modules --no-source-map --style=compressed --quiet-deps \
	  tracker.scss ../css/tracker.css

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache
