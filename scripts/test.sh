#!/usr/bin/env bash
# Install everything the tests need (system packages, the package with its dev extra) and
# run the whole suite: lint, type check, tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
export QT_QPA_PLATFORM=offscreen
echo "== ruff"; .venv/bin/ruff check mobile_agent tests
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
rc=$?
set -e
# pytest exits 5 when no test was collected (e.g. a filter matched nothing): not a failure.
[ "$rc" -eq 5 ] && { echo "no tests collected"; rc=0; }
exit "$rc"
