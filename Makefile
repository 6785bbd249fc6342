# articleaudio: set-up, demo, tests. Every target works as root on a fresh Debian/Ubuntu machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_PACKAGES := espeak-ng ffmpeg wamerican
# The player tests drive Debian's Chromium with Playwright (no browser download).
TEST_APT_PACKAGES := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CORPUS ?= ../shared/corpus

.PHONY: setup system-packages test-system-packages node-packages apt-install demo bench bench-engine bench-extraction test lint typecheck docs unit clean

setup: system-packages $(STAMP)

# espeak-ng speaks; ffmpeg (ffprobe) is used by pydub and by the tests to decode and inspect MP3s; wamerican is
# the English word list that tells a word set in capitals ("INSTEAD") from an initialism ("FBI").
system-packages:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES)"

test-system-packages:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_PACKAGES) $(TEST_APT_PACKAGES)"

# axe-core, which the browser tests load into Chromium to check the player page and the widget (npm from
# Debian when there is none).
node-packages:
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-install PACKAGES="npm"
	cd tests/js && npm ci --no-audit --no-fund --silent

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  else echo "please install:$$missing (see README)"; exit 1; fi; \
	fi

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# The pip that ships with Python 3.11 cannot resolve trafilatura's dependencies; upgrade it first.
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,docs,neural,verify]'
	touch $(STAMP)

demo: setup
	$(BIN)/articleaudio convert examples/sample-article.html --force

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

# The documentation site; --strict fails on a broken link or a reference the API pages cannot resolve.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

unit: setup test-system-packages node-packages
	$(BIN)/pytest

test: lint typecheck docs unit

# Speed and memory against espeak-ng + ffmpeg (prints a table; not a pass/fail test).
bench: setup
	$(BIN)/python -m bench.speed --runs 3 --floors
	$(BIN)/python -m bench.scale

# The quality gate: corpus scores may not fall below the floors in bench/quality-baseline.json.
bench-extraction: setup
	$(BIN)/python -m bench.gate --corpus $(CORPUS)

bench-engine: setup
	$(BIN)/python -m bench.engine_stability --runs 20

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build site src/*.egg-info
