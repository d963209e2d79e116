#!/usr/bin/env bash
# Install mobile-agent into .venv (first time only) and run it. With no arguments it runs
# the scripted demonstration on the virtual phone; otherwise the arguments go to
# `mobile-agent`, e.g.:  bash scripts/run.sh run "Create a note titled Groceries" --model openai:gpt-4o
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
if [ ! -x .venv/bin/mobile-agent ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[gui]"
fi
[ $# -eq 0 ] && set -- demo
exec .venv/bin/mobile-agent "$@"
