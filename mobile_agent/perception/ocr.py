"""OCR engines: PP-OCR through the models bundled in the `rapidocr` wheel, and PaddleOCR.

Engines load lazily on first use (thread-safe) and cache results per image, so asking twice
about the same screenshot costs nothing. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mobile_agent.errors import ConfigError
from mobile_agent.perception.elements import BoundingBox

log = logging.getLogger(__name__)

_CACHE_SIZE = 16
_MIN_SCORE = 0.5


@dataclass(frozen=True, slots=True)
class OcrBox:
    """One line of recognised text with its box in screenshot pixels."""

    text: str
    bounds: BoundingBox
    score: float


class OcrEngine(Protocol):
    """Anything that turns a PNG into text boxes."""

    name: str

    def recognize(self, png: bytes) -> list[OcrBox]: ...


def _box_from_quad(quad: Any) -> BoundingBox:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return BoundingBox(int(min(xs)), int(min(ys)), round(max(xs)), round(max(ys)))


class _CachedEngine:
    """Lazy loading and a small per-image LRU cache shared by the engines."""

    name = "base"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engine: Any = None
        self._cache: OrderedDict[str, list[OcrBox]] = OrderedDict()

    def _load(self) -> Any:
        raise NotImplementedError

    def _run(self, engine: Any, png: bytes) -> list[OcrBox]:
        raise NotImplementedError

    def recognize(self, png: bytes) -> list[OcrBox]:
        """Text boxes of `png`, from the cache when this image was seen before."""
        key = hashlib.sha1(png).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return list(self._cache[key])
            if self._engine is None:
                self._engine = self._load()
            boxes = self._run(self._engine, png)
            self._cache[key] = boxes
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
            return list(boxes)


class RapidOcrEngine(_CachedEngine):
    """PP-OCR (detection + recognition) on onnxruntime with the wheel's bundled models."""

    name = "rapidocr"

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.threads = threads or min(4, os.cpu_count() or 2)

    def _load(self) -> Any:
        import rapidocr
        from rapidocr import RapidOCR

        models = Path(rapidocr.__file__).parent / "models"
        det = sorted(models.glob("*det*.onnx"))
        rec = sorted(models.glob("*rec*.onnx"))
        if not det or not rec:
            raise ConfigError(
                f"the rapidocr wheel has no bundled models in {models}; reinstall rapidocr"
            )
        log.info("loading OCR models %s, %s", det[-1].name, rec[-1].name)
        return RapidOCR(
            params={
                "Global.use_cls": False,  # screen text is upright
                "Global.log_level": "warning",
                "Det.model_path": str(det[-1]),
                "Rec.model_path": str(rec[-1]),
                "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
            }
        )

    def _run(self, engine: Any, png: bytes) -> list[OcrBox]:
        result = engine(png)
        if result is None or result.boxes is None or result.txts is None:
            return []
        return [
            OcrBox(text.strip(), _box_from_quad(quad), float(score))
            for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=False)
            if text.strip() and float(score) >= _MIN_SCORE
        ]


class PaddleOcrEngine(_CachedEngine):
    """PaddleOCR, for users who have it installed (`pip install paddleocr`)."""

    name = "paddleocr"

    def _load(self) -> Any:
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:
            raise ConfigError(
                "paddleocr is not installed: pip install 'mobile-agent[paddle]' "
                "or use --ocr rapidocr"
            ) from exc
        return PaddleOCR(use_angle_cls=False, lang="ch")

    def _run(self, engine: Any, png: bytes) -> list[OcrBox]:
        import numpy as np
        from PIL import Image

        image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        pages = engine.ocr(image) or []
        boxes: list[OcrBox] = []
        for line in pages[0] or [] if pages else []:
            quad, (text, score) = line[0], line[1]
            if text.strip() and float(score) >= _MIN_SCORE:
                boxes.append(OcrBox(text.strip(), _box_from_quad(quad), float(score)))
        return boxes


_engines: dict[str, OcrEngine] = {}
_engines_lock = threading.Lock()


def get_ocr_engine(name: str) -> OcrEngine | None:
    """The shared engine called `name` ("rapidocr", "paddleocr"), or None for "none"."""
    if name in ("none", "", None):
        return None
    factories = {"rapidocr": RapidOcrEngine, "paddleocr": PaddleOcrEngine}
    if name not in factories:
        raise ConfigError(f"unknown OCR engine {name!r}; choose rapidocr, paddleocr or none")
    with _engines_lock:
        if name not in _engines:
            _engines[name] = factories[name]()
        return _engines[name]
