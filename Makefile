# Warta: `make demo` (set-up plus the main job, offline, through Airflow) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed

# Airflow runs with its own home and an embedded SQLite metadata DB under the project.
export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN := sqlite:///$(CURDIR)/.airflow/airflow.db
export PATH := $(BIN):$(PATH)

.PHONY: install demo test airflow lock clean browser

install: $(STAMP)

# The install reads the committed lock (Airflow's constraints URL is out of reach here).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q uv==0.13.9
	$(BIN)/uv pip install -q -p $(BIN)/python --compile-bytecode -r requirements.lock
	$(BIN)/uv pip install -q -p $(BIN)/python --no-deps -e .
	touch $(STAMP)

$(AIRFLOW_HOME)/airflow.db: $(STAMP)
	mkdir -p $(AIRFLOW_HOME)
	$(BIN)/airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 || (cat $(AIRFLOW_HOME)/db-migrate.log; exit 1)

demo: $(AIRFLOW_HOME)/airflow.db
	@echo "== regional_news through Airflow (replay mode: offline) =="
	$(BIN)/airflow dags test regional_news > $(AIRFLOW_HOME)/demo-run.log 2>&1 || (tail -50 $(AIRFLOW_HOME)/demo-run.log; exit 1)
	@grep -oE "(crawl|curate|quality gate passed for) [a-z]+:.*|run summary: .*" $(AIRFLOW_HOME)/demo-run.log | sed -E 's/ \[(warta|airflow)[^]]*\].*$$//' || true
	@echo "== smart_city_rollups through Airflow (clusters, daily rollups, report) =="
	$(BIN)/airflow dags test smart_city_rollups > $(AIRFLOW_HOME)/demo-rollups.log 2>&1 || (tail -50 $(AIRFLOW_HOME)/demo-rollups.log; exit 1)
	@echo "   (logs: $(AIRFLOW_HOME)/demo-run.log, $(AIRFLOW_HOME)/demo-rollups.log)"
	@echo "== what the warehouse holds =="
	$(BIN)/warta summary
	@echo "report: data/warehouse/report.html; query: .venv/bin/warta sql \"SELECT portal, count(*) FROM articles GROUP BY 1\""

test: $(STAMP) browser
	$(BIN)/pytest

# The UI test drives Debian's Chromium (never a browser download of its own).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the UI test"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# The Airflow UI on http://127.0.0.1:8080 (replay mode unless WARTA_MODE=live).
airflow: $(AIRFLOW_HOME)/airflow.db
	@echo "Airflow UI: http://127.0.0.1:8080 - login 'admin', password printed below and kept in"
	@echo "  $(AIRFLOW_HOME)/simple_auth_manager_passwords.json.generated ; crawl mode: $${WARTA_MODE:-replay}"
	AIRFLOW__API__HOST=127.0.0.1 AIRFLOW__API__PORT=8080 AIRFLOW__API__BASE_URL=http://127.0.0.1:8080 \
	AIRFLOW__CORE__PARALLELISM=4 WARTA_MODE=$${WARTA_MODE:-replay} $(BIN)/airflow standalone

lock:
	$(BIN)/uv pip compile pyproject.toml --extra test -p 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) .airflow data/warehouse
