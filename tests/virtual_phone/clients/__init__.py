"""Per-client fidelity tests: the calls open-source harnesses send, answered as on a phone.

Each module replays one client's device calls (their exact command strings, quoted from
their public sources) against the virtual phone through the real adb binary, adbutils or
uiautomator2, and asserts what a real phone answers. `scripts/fidelity_table.py` turns the
results into the table in `docs/fidelity.md`.
"""
