"""Travel times and route distances by mode, computed exactly from a place's distance."""

from __future__ import annotations

MODES = ("Drive", "Transit", "Walk", "Cycle")

# mode: (route length in % of the straight distance, speed in km/h, minutes added)
_ROUTES = {
    "Drive": (130, 30, 2),
    "Transit": (120, 20, 6),
    "Walk": (110, 5, 0),
    "Cycle": (115, 15, 1),
}


def travel(distance_km: float, mode: str) -> tuple[int, float]:
    """(minutes, route km with one decimal) to travel `distance_km` by `mode`; minutes
    round up, integer arithmetic on tenths of a km keeps it exact."""
    percent, speed, extra = _ROUTES[mode]
    tenths = (round(distance_km * 10) * percent + 50) // 100
    return max(1, -(-tenths * 60 // (speed * 10)) + extra), tenths / 10


def duration_text(total: int) -> str:
    """ "25 min", "1 h" or "1 h 5 min"."""
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{total} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
