"""Settings tasks: getting the phone ready to travel."""

from __future__ import annotations

from mobile_agent.bench.tasks.checks import SETTINGS
from mobile_agent.bench.tasks.model import Check, Spec, World, key, open_app, tap, task


@task("settings.flight_mode", "travel", apps=(SETTINGS,))
def flight_mode(world: World) -> Spec:
    """Turn on airplane mode."""
    return Spec(
        goal="I'm boarding a flight: turn on airplane mode",
        checks=(Check("airplane mode is on", lambda end: bool(end.app(SETTINGS)["airplane"])),),
        solution=(open_app("Settings"), tap("Network & internet"), tap("Airplane mode")),
    )


@task("settings.travel_headphones", "travel", apps=(SETTINGS,))
def travel_headphones(world: World) -> Spec:
    """Turn Bluetooth on and Wi-Fi off."""
    return Spec(
        goal="Get the phone ready for the train: turn Bluetooth on and Wi-Fi off",
        checks=(
            Check("Bluetooth is on", lambda end: bool(end.app(SETTINGS)["bluetooth"])),
            Check("Wi-Fi is off", lambda end: not end.app(SETTINGS)["wifi"]),
        ),
        solution=(
            open_app("Settings"),
            tap("Connected devices"),
            tap("Use Bluetooth"),
            key("back"),
            tap("Network & internet"),
            tap("Wi-Fi"),
        ),
    )
