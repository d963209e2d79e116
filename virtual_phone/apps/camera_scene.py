"""The camera's viewfinder picture: a generated scene (sky, hills, a sun, a few shapes and
sensor noise), the same for the same seed, so the preview is never a flat placeholder."""

from __future__ import annotations

import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter


@lru_cache(maxsize=8)
def scene(seed: int, width: int, height: int) -> Image.Image:
    """The viewfinder image for `seed` at `width` × `height` (shared: do not draw on it)."""
    rng = random.Random(seed)
    w, h = max(1, width // 4), max(1, height // 4)
    sky_top = (rng.randint(40, 90), rng.randint(110, 160), rng.randint(190, 240))
    sky_low = (rng.randint(200, 250), rng.randint(180, 220), rng.randint(150, 200))
    ramp = Image.linear_gradient("L").resize((w, h))
    image = Image.composite(
        Image.new("RGB", (w, h), sky_low), Image.new("RGB", (w, h), sky_top), ramp
    )
    draw = ImageDraw.Draw(image)
    sun_x, sun_y, sun_r = w * rng.uniform(0.2, 0.8), h * rng.uniform(0.12, 0.3), w * 0.08
    draw.ellipse((sun_x - sun_r, sun_y - sun_r, sun_x + sun_r, sun_y + sun_r), fill=(255, 236, 180))
    for layer, base in enumerate(((70, 120, 90), (50, 95, 70), (36, 70, 52))):
        horizon = h * (0.5 + 0.12 * layer)
        points = [(0.0, float(h))]
        for k in range(9):
            points.append((w * k / 8, horizon - rng.uniform(0, h * 0.12)))
        points.append((float(w), float(h)))
        draw.polygon(points, fill=base)
    for _ in range(5):
        x, y = rng.uniform(0, w), rng.uniform(h * 0.65, h * 0.95)
        size = rng.uniform(w * 0.03, w * 0.08)
        colour = (rng.randint(120, 230), rng.randint(60, 160), rng.randint(40, 120))
        draw.rectangle((x - size, y - size * 1.6, x + size, y), fill=colour)
        draw.polygon(
            [
                (x - size * 1.2, y - size * 1.6),
                (x + size * 1.2, y - size * 1.6),
                (x, y - size * 2.6),
            ],
            fill=(110, 50, 40),
        )
    image = image.filter(ImageFilter.GaussianBlur(0.6)).resize(
        (width, height), Image.Resampling.BILINEAR
    )
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height)).convert("RGB")
    return Image.blend(image, noise, 0.06)
