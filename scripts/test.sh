#!/usr/bin/env bash
# Install everything the tests need (system packages, the package with its dev and local
# extras) and run the whole suite: lint, type check, tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The `local` extra (torch CPU build + transformers) lets the local-model backend be tested
# with a tiny randomly initialised model; without it those tests are skipped.
if ! .venv/bin/python -m pip install -q -e ".[dev,local]"; then
  echo "warning: the 'local' extra could not be installed; the local-model tests will be skipped" >&2
  .venv/bin/python -m pip install -q -e ".[dev]"
fi
export QT_QPA_PLATFORM=offscreen
echo "== ruff"; .venv/bin/ruff check mobile_agent virtual_phone tests
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
# pytest exits 5 when no test was collected (e.g. a filter matched nothing): not a failure.
[ "$rc" -eq 5 ] && { echo "no tests collected"; rc=0; }
exit "$rc"
