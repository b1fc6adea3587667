# Smart Village Lampung dashboard: `make run` serves the app, `make test` runs the whole suite.
# Both set up everything first (virtualenv, requirements, offline web assets, data build).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium

# Local mirror of the upstream files (layout github/<owner>/<repo>/<commit>/<path>).
# Defaults to ../shared/sources when that folder exists; unset, the build downloads.
ifneq ($(wildcard ../shared/sources/SHA256SUMS),)
SV_SOURCES_MIRROR ?= $(abspath ../shared/sources)
endif
export SV_SOURCES_MIRROR

.PHONY: run test test-fast unit browser setup data rebuild lint typecheck check-chromium check-postgres check-nginx bench clean

# The suite runs in parallel: pytest-xdist, one worker per core (JOBS=1: one process), each test file whole on
# one worker (`--dist loadfile`: its module fixtures are made once). Tests that cannot share the machine run
# afterwards, alone: the browser tests (with a second worker beside them on 2 busy cores their 60 s waits
# ran out; alone they pass), the load test (a server's memory and throughput), the fault tests (a writer
# killed at timed points) and wall-clock bounds (marker `serial`). Both parts always run; the target fails if either did.
# Markers: pyproject.toml [tool.pytest.ini_options]; README "Tests".
PYTEST := $(BIN)/python -m pytest
JOBS   ?= auto
ALONE  := serial or browser or load or fault or deploy
SLOW   := browser or load or fault or deploy
# $(1): marker expression selecting the tests (empty: all), $(2): paths (empty: tests/).
define parallel_then_alone
	$(PYTEST) -n $(JOBS) --dist loadfile -m "$(if $(1),($(1)) and )not ($(ALONE))" $(2); parallel=$$?; \
	$(PYTEST) -m "$(if $(1),($(1)) and )($(ALONE))" $(2); alone=$$?; \
	[ $$alone -eq 5 ] && alone=0; \
	[ $$parallel -eq 0 ] && [ $$alone -eq 0 ]
endef

run: setup data
	MALLOC_ARENA_MAX=2 $(BIN)/streamlit run app.py --server.port $(PORT) --server.address localhost

# Everything: ruff, the type check, then the whole suite (browser, load and fault tests included).
test: setup data check-chromium check-postgres check-nginx
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory typecheck
	$(call parallel_then_alone,,)

# The inner loop: unit, AppTest and the other quick layers, without the browser, load and fault tests.
test-fast: setup data check-postgres
	$(call parallel_then_alone,not ($(SLOW)),)

unit: setup data check-postgres
	$(call parallel_then_alone,,tests/unit)

# Every browser-marked test, one at a time (one chromium, one app server: as in `make test`).
browser: setup data check-chromium
	$(PYTEST) -m browser

setup: $(VENV)/.installed static/vendor/leaflet/leaflet.js

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

static/vendor/leaflet/leaflet.js: $(VENV)/.installed
	$(BIN)/python -m utils assets

# Build the canonical data files only when missing (`make rebuild` forces it), bring the programme store's
# schema up to date (migrations, in place), then make sure it holds data (the seeded demo set when nothing
# else was loaded).
data: setup data/.build-ok
	$(BIN)/python -m utils migrate
	$(BIN)/python -m utils demo

data/.build-ok: data/istilah_desa.csv
	$(BIN)/python -m utils build

rebuild: setup
	$(BIN)/python -m utils build --force
	$(BIN)/python -m utils migrate
	$(BIN)/python -m utils demo

check-chromium:
	@test -x "$(CHROMIUM)" || { \
	  echo "ERROR: Chromium tidak ditemukan di $(CHROMIUM); uji browser membutuhkannya."; \
	  echo "       Pasang dengan: sudo apt-get install -y chromium   (atau set CHROMIUM=/path/ke/chromium)"; \
	  exit 1; }

# The store test starts a throwaway PostgreSQL cluster from Debian's server binaries (no service needed).
check-postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "ERROR: PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb); uji store PostgreSQL membutuhkannya."; \
	  echo "       Pasang dengan: sudo apt-get install -y postgresql"; \
	  exit 1; }

check-nginx:
	@[ -x /usr/sbin/nginx ] || { \
	  echo "ERROR: nginx not found (/usr/sbin/nginx); uji replika di belakang proxy (tests/deploy) membutuhkannya."; \
	  echo "       Pasang dengan: sudo apt-get install -y nginx"; \
	  exit 1; }

lint: setup
	$(BIN)/ruff check .

# mypy over utils/, app.py, pages/ and bench/ (pyproject.toml [tool.mypy]). .mypy_cache (gitignored) keeps
# the analysis between runs: a cold run takes about 3 min on 2 cores, a warm one seconds.
typecheck: setup
	$(BIN)/mypy

bench: setup data
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) data/*.parquet data/*.json data/.build-ok geo/*.parquet static/vendor static/geo
