# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# `make install` also prepares the first start (search index, guard): `reflect prepare`, offline, safe to re-run.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PREPARED := $(VENV)/.prepared

export HF_HUB_DISABLE_PROGRESS_BARS := 1
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test bench clean

install: $(PREPARED)

# torch first, pinned: pip takes the local CPU wheel; unpinned it pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Again when the cards or the guard's policy change; `reflect prepare` is cheap when all is built.
$(PREPARED): $(STAMP) $(wildcard knowledge/cards/*.md) guardrails/policy.yaml
	$(BIN)/reflect prepare
	touch $(PREPARED)

run: install
	$(BIN)/reflect

# Tests make their own data folders: the venv is all they need.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

# Every section quiet, then again beside a CPU-heavy process (bench/busy.py), side by side.
bench: $(STAMP)
	$(BIN)/python bench/run.py --busy

clean:
	rm -rf $(VENV) build *.egg-info
