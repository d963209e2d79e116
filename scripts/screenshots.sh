#!/usr/bin/env bash
# Screenshots of the desktop app for the README, taken from a real X11 window:
#   docs/screenshots/run.png      the main window during the scripted demo on the virtual phone
#   docs/screenshots/library.png  the Library tab after it (the tip and shortcut it taught)
#
# Needs Xvfb (Debian/Ubuntu: apt-get install xvfb) and the X11 libraries of Qt's xcb
# platform (libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0; most desktops
# have them). Installs nothing itself; uses .venv (made by scripts/run.sh or scripts/test.sh).
# The run happens in a temporary data directory with a private adb server.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/screenshots}"
command -v Xvfb >/dev/null 2>&1 || {
  echo "screenshots: Xvfb is needed (Debian/Ubuntu: sudo apt-get install xvfb)" >&2; exit 1; }
[ -x .venv/bin/python ] || { echo "screenshots: no .venv; run scripts/test.sh first" >&2; exit 1; }

# A display number nobody uses.
n=90
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1400x960x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X$n" ] || { echo "screenshots: Xvfb did not start on :$n" >&2; exit 1; }

DISPLAY=":$n" QT_QPA_PLATFORM=xcb .venv/bin/python -m mobile_agent.gui.shots "$out"
