#!/usr/bin/env bash
# Mutation testing of the core with mutmut: each mutant (one small change to one function)
# is run against the fast tests that call that function; a mutant no test notices survives.
# Prints the survivors by file and, last, `killed K of N (P%)`. Not part of CI (see
# docs/mutation.md).
#
#   bash scripts/mutation.sh                      the default scope (DEFAULT_SCOPE below)
#   bash scripts/mutation.sh mobile_agent/llm/retry.py mobile_agent/runner
#
# Environment: MUTATION_JOBS (parallel mutants, default 2), MUTATION_WORKDIR (a directory to
# keep and reuse: a second run retests only what changed, then the earlier survivors),
# MOBILE_AGENT_CORPUS (the corpus of real dumps, default ../shared/corpus/hierarchies).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${MUTATION_VENV:-$ROOT/.venv}"
JOBS="${MUTATION_JOBS:-2}"

# Modules of real decisions from each of the seven core packages; the default scope finishes
# within 40 minutes on two cores (docs/mutation.md lists them, with counts and times).
DEFAULT_SCOPE=(
  mobile_agent/runner/guards.py
  mobile_agent/runner/ends.py
  mobile_agent/agents/replies.py
  mobile_agent/actions/builtin.py
  mobile_agent/actions/registry.py
  mobile_agent/llm/retry.py
  mobile_agent/perception/merge.py
  mobile_agent/perception/settle.py
  mobile_agent/device/parsing.py
  mobile_agent/device/apps.py
  mobile_agent/memory/guards.py
  mobile_agent/memory/validation.py
  mobile_agent/memory/retrieval.py
)

# Test directories whose tests call the package in-process: mutmut learns which functions a
# test reaches only there (the CLI tests drive the command in subprocesses).
TEST_DIRS=(tests/runner tests/agents tests/llm tests/perception tests/device tests/memory)

# Equivalent mutants, each with the reason: scripts/mutation-skip.txt.
SKIP_FILE="$ROOT/scripts/mutation-skip.txt"

fail() { echo "mutation.sh: $*" >&2; exit 2; }

[ -x "$VENV/bin/mutmut" ] || fail "mutmut is not installed: $VENV/bin/pip install 'mutmut>=3.8,<4'"
scope=("$@")
[ ${#scope[@]} -gt 0 ] || scope=("${DEFAULT_SCOPE[@]}")
for path in "${scope[@]}"; do
  case "$path" in
    mobile_agent/*) ;;
    *) fail "$path: give paths under mobile_agent/ (files or directories)" ;;
  esac
  [ -e "$ROOT/$path" ] || fail "$path does not exist"
done

if [ -n "${MUTATION_WORKDIR:-}" ]; then
  WORK="$MUTATION_WORKDIR"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/mobile-agent-mutation.XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
fi
WORK="$(cd "$WORK" && pwd)"
reused=0
[ -d "$WORK/mutants" ] && reused=1

# A copy of the sources and tests (mutmut writes its mutants/ beside them); copies keep
# their modification times, which mutmut compares to regenerate only changed files.
for item in mobile_agent virtual_phone tests pyproject.toml; do
  rm -rf "${WORK:?}/$item"
  cp -a "$ROOT/$item" "$WORK/$item"
done
find "$WORK" -path "$WORK/mutants" -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

{
  echo "[mutmut]"
  echo "source_paths ="
  echo "    mobile_agent"
  echo "    virtual_phone"
  echo "only_mutate ="
  for path in "${scope[@]}"; do
    if [ -d "$ROOT/$path" ]; then echo "    ${path%/}/*"; else echo "    $path"; fi
  done
  echo "pytest_add_cli_args ="
  printf '    %s\n' -m "not e2e and not slow and not gui" -p no:cacheprovider --timeout=60
  echo "pytest_add_cli_args_test_selection ="
  printf '    %s\n' "${TEST_DIRS[@]}"
  # A mutant whose tests run past 3 × (their usual time + 10 s) is counted as a timeout.
  echo "timeout_multiplier = 3.0"
  echo "timeout_constant = 10.0"
  echo "use_git_change_detection = false"
  # Protocol stubs (`def f(...) -> T: ...`) stay as they are: a mutant there adds methods
  # to the protocol class, and `isinstance` checks against it fail for the wrong reason.
  echo "do_not_mutate_patterns ="
  echo '    : \.\.\.$'
} >"$WORK/setup.cfg"

export QT_QPA_PLATFORM=offscreen
# mutmut forks each mutant from the process that ran the tests once; torch's OpenMP threads
# do not survive a fork, and a mutant reaching the local-model tests would wait on them until
# its timeout (counted as killed). One thread means no pool to lose.
export OMP_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false
export MOBILE_AGENT_CORPUS="${MOBILE_AGENT_CORPUS:-$(cd "$ROOT/.." && pwd)/shared/corpus/hierarchies}"
export PATH="$VENV/bin:$PATH"
cd "$WORK"

LOG="$WORK/mutmut.log"
started=$(date +%s)
echo "mutating ${scope[*]} (jobs: $JOBS; log: $LOG)"
survivors_before=()
if [ "$reused" -eq 1 ]; then
  mapfile -t survivors_before < <(mutmut results 2>/dev/null | sed -n 's/^ *\([^ :]*\): survived$/\1/p')
fi
# mutmut 3.8 has been seen to exit non-zero after recording every result; a run that got
# as far as printing its rate is complete.
run_mutmut() {
  local rc=0
  mutmut run --max-children "$JOBS" "$@" >>"$LOG" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && ! tail -c 2000 "$LOG" | grep -q "mutations/second"; then
    tr '\r' '\n' <"$LOG" | tail -n 30 >&2
    fail "mutmut failed with status $rc (log: $LOG)"
  fi
}
: >"$LOG"
run_mutmut
if [ ${#survivors_before[@]} -gt 0 ]; then
  echo "retesting the ${#survivors_before[@]} earlier survivors against the current tests"
  run_mutmut "${survivors_before[@]}"
fi
echo "mutmut took $(( ($(date +%s) - started) / 60 )) min"

SKIP_FILE="$SKIP_FILE" python - "${scope[@]}" <<'EOF'
"""Survivors by file (equivalent ones from the skip list left out), then the score."""

import os
import sys
from collections import defaultdict
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.format_utils import parse_mutant_key

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
scope = [p.rstrip("/") for p in sys.argv[1:]]


def in_scope(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in scope)


def squash(text: str) -> str:
    return " ".join(text.split())


skips = []
for line in Path(os.environ["SKIP_FILE"]).read_text().splitlines():
    if line.strip() and not line.lstrip().startswith("#"):
        where, rest = line.split("|", 1)
        changed, reason = rest.rsplit("|", 1)
        skips.append((where.strip(), squash(changed), reason.strip()))
used: set[int] = set()

killed = total = equivalent = 0
survivors: dict[str, list[str]] = defaultdict(list)
for meta in sorted(Path("mutants/mobile_agent").rglob("*.py.meta")):
    path = str(meta.relative_to("mutants"))[: -len(".meta")]
    if not in_scope(path):
        continue
    data = SourceFileMutationData(path=Path(path))
    data.load()
    for name, code in data.exit_code_by_key.items():
        status = status_by_exit_code[code]
        if status == "skipped":
            continue
        total += 1
        if status in KILLED:
            killed += 1
            continue
        func, cls = parse_mutant_key(name.rpartition(".")[2].rsplit("__mutmut_", 1)[0])
        where = f"{path.removeprefix('mobile_agent/')}:{cls + '.' if cls else ''}{func}"
        diff = get_diff_for_mutant(name, path=path).splitlines()[2:]  # past the file names
        added = [squash(d[1:]) for d in diff if d.startswith("+") and d[1:].strip()]
        # each changed line alone, and after the unchanged line above it ("above / changed")
        context = ""
        candidates = set(added)
        for d in diff:
            if d.startswith(" ") and d.strip():
                context = squash(d)
            elif d.startswith("+") and d[1:].strip():
                candidates.add(f"{context} / {squash(d[1:])}")
        match = next(
            (i for i, s in enumerate(skips) if s[0] == where and s[1] in (*candidates, "*")),
            None,
        )
        if match is not None:
            used.add(match)
            equivalent += 1
            total -= 1
            continue
        removed = [squash(d[1:]) for d in diff if d.startswith("-") and d[1:].strip()]
        survivors[path].append(
            f"  {where.split(':')[1]} [{status}] {name.rpartition('.')[2]}\n"
            + "".join(f"      - {r}\n" for r in removed)
            + "".join(f"      + {a}\n" for a in added)
        )

for path, items in survivors.items():
    print(f"\n{path}: {len(items)} surviving")
    print("".join(items), end="")
stale = [s for i, s in enumerate(skips) if i not in used and in_scope("mobile_agent/" + s[0].split(":")[0])]
for where, changed, _ in stale:
    print(f"\nskip list entry that matched no survivor (remove it?): {where} | {changed}")
if equivalent:
    print(f"\n{equivalent} equivalent mutants left out (scripts/mutation-skip.txt)")
if total == 0:
    sys.exit("no mutants: is the scope right?")
print(f"killed {killed} of {total} ({100 * killed / total:.1f}%)")
EOF
