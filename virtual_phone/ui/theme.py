"""Colour palettes (light and dark theme) referenced by role name."""

from __future__ import annotations

from dataclasses import dataclass

Color = tuple[int, int, int]

LIGHT: dict[str, Color] = {
    "background": (250, 250, 252),
    "surface": (255, 255, 255),
    "surface_variant": (236, 238, 244),
    "on_surface": (20, 22, 28),
    "muted": (84, 88, 100),
    "divider": (214, 217, 224),
    "primary": (26, 86, 200),
    "on_primary": (255, 255, 255),
    "accent": (0, 122, 92),
    "danger": (190, 30, 40),
    "toolbar": (232, 238, 250),
    "scrim": (90, 90, 96),
    "statusbar": (232, 238, 250),
    "navbar": (240, 240, 244),
    "on_bar": (20, 22, 28),
    "keyboard": (216, 220, 228),
    "key": (255, 255, 255),
    "key_special": (188, 194, 206),
    "shade": (30, 33, 40),
    "on_shade": (240, 242, 246),
    "tile_on": (168, 199, 250),
    "tile_off": (62, 66, 76),
    "toast": (50, 50, 54),
    "on_toast": (255, 255, 255),
    "wallpaper": (38, 84, 124),
    "wallpaper2": (64, 132, 150),
    "on_wallpaper": (255, 255, 255),
    "web": (255, 255, 255),
    "on_web": (16, 16, 16),
    "link": (12, 70, 190),
}

DARK: dict[str, Color] = {
    **LIGHT,
    "background": (18, 19, 24),
    "surface": (30, 32, 38),
    "surface_variant": (44, 47, 56),
    "on_surface": (236, 238, 244),
    "muted": (176, 180, 192),
    "divider": (60, 64, 74),
    "primary": (140, 180, 255),
    "on_primary": (10, 20, 50),
    "accent": (90, 210, 170),
    "danger": (255, 120, 120),
    "toolbar": (36, 40, 52),
    "statusbar": (24, 26, 32),
    "navbar": (24, 26, 32),
    "on_bar": (236, 238, 244),
    "keyboard": (40, 42, 48),
    "key": (70, 73, 80),
    "key_special": (54, 57, 64),
    "on_toast": (255, 255, 255),
}


@dataclass(frozen=True, slots=True)
class Theme:
    """A palette; `color()` resolves a role name or a `#rrggbb` literal."""

    colors: dict[str, Color]
    dark: bool = False

    def color(self, spec: str) -> Color:
        """The RGB colour for a role name or hex literal."""
        if spec.startswith("#"):
            return (int(spec[1:3], 16), int(spec[3:5], 16), int(spec[5:7], 16))
        return self.colors[spec]


LIGHT_THEME = Theme(LIGHT, dark=False)
DARK_THEME = Theme(DARK, dark=True)


def theme_for(dark: bool) -> Theme:
    """The light or dark theme."""
    return DARK_THEME if dark else LIGHT_THEME
