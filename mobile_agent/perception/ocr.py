"""OCR engines: PP-OCR through the ONNX models bundled in the `rapidocr` wheel, and PaddleOCR.

Engines load lazily on first use (thread-safe) and keep a small per-image cache, so asking
twice about the same screenshot costs nothing. `RapidOcrEngine` never downloads anything:
it points rapidocr at the model files inside the installed wheel.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mobile_agent.errors import ConfigError
from mobile_agent.perception.elements import BoundingBox

log = logging.getLogger(__name__)

CACHE_SIZE = 8
MIN_SCORE = 0.5
DET_MAX_SIDE = 1600  # detection runs on at most this long side; recognition on sharper crops
_MODEL_NAMES = {
    "Det": ("PP-OCRv6_det_small.onnx", "*det*.onnx"),
    "Rec": ("PP-OCRv6_rec_small.onnx", "*rec*.onnx"),
    "Cls": ("ch_ppocr_mobile_v2.0_cls_mobile.onnx", "*cls*.onnx"),
}


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One line of recognised text with its box in screenshot pixels."""

    text: str
    bounds: BoundingBox
    score: float


class OcrEngine(Protocol):
    """Anything that turns a PNG screenshot into text boxes."""

    name: str

    def recognize(self, png: bytes) -> list[OcrBox]: ...


def box_from_points(points: Iterable[Any], size: tuple[int, int]) -> BoundingBox:
    """The axis-aligned box around a polygon, clipped to an image of `size` (w, h)."""
    pts = [(float(p[0]), float(p[1])) for p in points]
    w, h = size
    return BoundingBox(
        max(0, int(min(x for x, _ in pts))),
        max(0, int(min(y for _, y in pts))),
        min(w, round(max(x for x, _ in pts))),
        min(h, round(max(y for _, y in pts))),
    )


def _keep(text: str, bounds: BoundingBox, score: float) -> OcrBox | None:
    text = text.strip()
    if not text or score < MIN_SCORE or bounds.area <= 0:
        return None
    return OcrBox(text, bounds, round(score, 4))


class _CachedEngine:
    """Lazy, locked model loading and a small LRU cache keyed by the PNG's hash."""

    name = "base"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engine: Any = None
        self._cache: OrderedDict[str, list[OcrBox]] = OrderedDict()

    def _load(self) -> Any:
        raise NotImplementedError

    def _run(self, engine: Any, png: bytes) -> list[OcrBox]:
        raise NotImplementedError

    def forget(self) -> None:
        """Empty the per-image cache: the next call reads every image again."""
        with self._lock:
            self._cache.clear()

    def recognize(self, png: bytes) -> list[OcrBox]:
        """Text boxes of `png`, from the cache when this image was seen before."""
        key = hashlib.blake2b(png, digest_size=16).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return list(self._cache[key])
            if self._engine is None:
                self._engine = self._load()
            boxes = self._run(self._engine, png)
            self._cache[key] = boxes
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return list(boxes)


def bundled_models() -> dict[str, Path]:
    """The ONNX model files shipped inside the installed rapidocr wheel."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise ConfigError("rapidocr is not installed: pip install rapidocr onnxruntime")
    folder = Path(spec.origin).parent / "models"
    found: dict[str, Path] = {}
    for stage, (preferred, pattern) in _MODEL_NAMES.items():
        path = folder / preferred
        candidates = [path] if path.is_file() else sorted(folder.glob(pattern))
        if candidates:
            found[stage] = candidates[-1]
    if "Det" not in found or "Rec" not in found:
        raise ConfigError(f"the rapidocr wheel has no bundled models in {folder}; reinstall it")
    return found


class RapidOcrEngine(_CachedEngine):
    """PP-OCR detection + recognition on onnxruntime, with the wheel's bundled models."""

    name = "rapidocr"

    def __init__(self, *, threads: int | None = None, det_max_side: int = DET_MAX_SIDE) -> None:
        super().__init__()
        self.threads = threads or max(1, min(4, os.cpu_count() or 2))
        self.det_max_side = det_max_side

    def _load(self) -> Any:
        from rapidocr import RapidOCR

        models = bundled_models()
        params: dict[str, Any] = {
            "Global.use_cls": False,  # screen text is upright; the classifier only costs time
            "Global.log_level": "warning",
            "Det.limit_type": "max",
            "Det.limit_side_len": self.det_max_side,
            "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        params.update({f"{stage}.model_path": str(path) for stage, path in models.items()})
        log.info("loading OCR models %s", ", ".join(p.name for p in models.values()))
        return RapidOCR(params=params)

    def _run(self, engine: Any, png: bytes) -> list[OcrBox]:
        result = engine(png)
        boxes = getattr(result, "boxes", None)
        txts = getattr(result, "txts", None)
        if boxes is None or txts is None or getattr(result, "img", None) is None:
            return []
        height, width = result.img.shape[:2]
        found = (
            _keep(str(text), box_from_points(quad, (width, height)), float(score))
            for quad, text, score in zip(boxes, txts, result.scores, strict=False)
        )
        return [box for box in found if box is not None]


class PaddleOcrEngine(_CachedEngine):
    """PaddleOCR, for users who installed it (`pip install 'mobile-agent[paddle]'`).

    PaddleOCR manages its own model files; mobile-agent does not fetch any for it.
    """

    name = "paddleocr"

    def __init__(self, *, lang: str = "ch") -> None:
        if importlib.util.find_spec("paddleocr") is None:
            raise ConfigError(
                "paddleocr is not installed: pip install 'mobile-agent[paddle]', "
                "or choose the rapidocr engine"
            )
        super().__init__()
        self.lang = lang

    def _load(self) -> Any:
        from paddleocr import PaddleOCR

        return PaddleOCR(lang=self.lang)

    def _run(self, engine: Any, png: bytes) -> list[OcrBox]:
        import numpy as np
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            rgb = img.convert("RGB")
        size = rgb.size
        array = np.asarray(rgb)[:, :, ::-1]  # PaddleOCR expects BGR like OpenCV
        if hasattr(engine, "predict"):  # PaddleOCR 3.x
            pages = engine.predict(array)
            triples = [
                (quad, text, score)
                for page in pages
                for quad, text, score in zip(
                    page["rec_polys"], page["rec_texts"], page["rec_scores"], strict=False
                )
            ]
        else:  # PaddleOCR 2.x: [[ [quad, (text, score)], ... ]]
            lines = (engine.ocr(array) or [None])[0] or []
            triples = [(line[0], line[1][0], line[1][1]) for line in lines]
        found = (_keep(str(t), box_from_points(q, size), float(s)) for q, t, s in triples)
        return [box for box in found if box is not None]


_engines: dict[str, OcrEngine] = {}
_engines_lock = threading.Lock()
ENGINE_NAMES = ("rapidocr", "paddleocr", "none")


def get_ocr_engine(name: str) -> OcrEngine | None:
    """The shared engine called `name` ("rapidocr" or "paddleocr"); None for "none"."""
    key = (name or "none").strip().lower()
    if key == "none":
        return None
    factories = {"rapidocr": RapidOcrEngine, "paddleocr": PaddleOcrEngine}
    if key not in factories:
        raise ConfigError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")
    with _engines_lock:
        if key not in _engines:
            _engines[key] = factories[key]()
        return _engines[key]
