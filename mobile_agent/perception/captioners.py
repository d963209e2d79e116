"""Captioners: short names for icon crops.

`ModelCaptioner` asks the run's vision model about all new crops of a screen in one call
(through an `Ask` function, so that perception needs nothing of the model layer: the runner
makes one from its model, see `runner.observe.icon_finder`);
`LocalCaptioner` runs a transformers image-to-text model (the `local` extra);
`ScriptedCaptioner` names crops by where they are, for tests and demos. Every captioner
caches captions by the crop's pixel hash, so an icon seen before costs nothing.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from mobile_agent.errors import ConfigError, MobileAgentError
from mobile_agent.perception.elements import BoundingBox
from mobile_agent.perception.icons import IconCrop

log = logging.getLogger(__name__)

CACHE_SIZE = 512
MAX_CAPTION = 40  # characters
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)
_NUMBERED = re.compile(r"^\s*(?:icon\s*)?#?(\d+)\s*[\.\):\-=]\s*(.+?)\s*$", re.I | re.M)
_PAIR = re.compile(r"[\"']#?(\d+)[\"']\s*:\s*[\"']([^\"']+)[\"']")
_QUOTES = "\"'`“”‘’"
PROMPT = (
    "Each image is one icon cut from a phone screen, numbered in the order given. Name each "
    "in one to three lowercase words saying what it shows or does (e.g. play, like, delete, "
    'settings). Reply only with a JSON object from number to name, e.g. {"1": "play"}.'
)


Ask = Callable[[str, Sequence[bytes]], str]
"""Asks a vision model: a prompt and PNG images in, the reply's text out (errors are
`MobileAgentError`s)."""


class Captioner(Protocol):
    """Anything that names icon crops (one caption per crop, "" when it cannot tell)."""

    name: str

    def caption(self, crops: Sequence[IconCrop]) -> list[str]: ...


class CachedCaptioner:
    """Caption cache by crop hash; subclasses name only the crops not seen before."""

    name = "cached"

    def __init__(self) -> None:
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()
        self.batches = 0  # calls that had new crops to name

    def caption(self, crops: Sequence[IconCrop]) -> list[str]:
        """Captions of `crops`, naming only those not cached (in one batch)."""
        with self._lock:
            fresh = list({c.key: c for c in crops if c.key not in self._cache}.values())
            named = self._name(fresh) if fresh else []
            self.batches += bool(fresh)
            if named is None:  # a failure is not remembered: the next screen asks again
                return [self._cache.get(c.key, "") for c in crops]
            for crop, text in zip(fresh, named, strict=True):
                self._cache[crop.key] = clean_caption(text)
            for crop in crops:
                self._cache.move_to_end(crop.key)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return [self._cache[c.key] for c in crops]

    def _name(self, crops: Sequence[IconCrop]) -> list[str] | None:
        """Captions of crops not seen before; None when naming failed."""
        raise NotImplementedError


def clean_caption(text: str) -> str:
    """One short line: no quotes, trailing stops or runs of spaces."""
    text = " ".join(str(text).split()).strip(_QUOTES + " .,;:")
    return text[:MAX_CAPTION].rstrip()


def parse_captions(reply: str, count: int) -> list[str]:
    """`count` captions read from a model's reply: a JSON object (number → name) or list,
    possibly fenced or wrapped in prose, else numbered lines or quoted "n": "name" pairs (a
    cut-off object), else one line per icon."""
    fenced = _FENCE.search(reply)
    body = fenced.group(1) if fenced else reply
    found = _from_json(body, count)
    if found is None:
        numbered = {int(n): text for n, text in _NUMBERED.findall(body) or _PAIR.findall(body)}
        if numbered:
            found = [numbered.get(i + 1, "") for i in range(count)]
        else:
            lines = [ln for ln in body.splitlines() if ln.strip()]
            found = lines if len(lines) == count else [""] * count
    return [clean_caption(text) for text in found]


def _from_json(body: str, count: int) -> list[str] | None:
    start = min((i for i in (body.find("{"), body.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None
    try:
        data, _ = json.JSONDecoder().raw_decode(body[start:])
    except json.JSONDecodeError:
        return None
    if isinstance(data, dict):
        inner = data.get("icons", data.get("captions"))
        if isinstance(inner, (dict, list)):
            data = inner
    if isinstance(data, list):
        items = [str(x.get("name", "")) if isinstance(x, dict) else str(x) for x in data]
        return (items + [""] * count)[:count]
    if isinstance(data, dict):
        keyed = {str(k).strip().lstrip("#"): str(v) for k, v in data.items()}
        return [keyed.get(str(i + 1), "") for i in range(count)]
    return None


class ModelCaptioner(CachedCaptioner):
    """The run's vision model names all new crops of a screen in one call."""

    def __init__(self, ask: Ask, model_name: str = "model") -> None:
        super().__init__()
        self.ask = ask
        self.name = f"model:{model_name}"

    def _name(self, crops: Sequence[IconCrop]) -> list[str] | None:
        prompt = f"{PROMPT}\nThere are {len(crops)} icons."
        try:
            reply = self.ask(prompt, [c.png for c in crops])
        except MobileAgentError as exc:
            log.warning("captioning %d icons failed: %s", len(crops), exc)
            return None
        return parse_captions(reply, len(crops))


class LocalCaptioner(CachedCaptioner):
    """A transformers image-to-text model (VisionEncoderDecoder, BLIP and the like) run
    locally; build it from objects, or with `from_pretrained` from a local folder."""

    def __init__(
        self, model: Any, image_processor: Any, tokenizer: Any, *, max_new_tokens: int = 8
    ) -> None:
        super().__init__()
        self.model = model.eval()
        self.image_processor = image_processor
        self.tokenizer = tokenizer
        self.max_new_tokens = max_new_tokens
        self.name = f"local:{getattr(model.config, 'model_type', 'model')}"

    @classmethod
    def from_pretrained(cls, path: str) -> LocalCaptioner:
        """Model, image processor and tokenizer from a folder (or a name already in the
        local cache); nothing is downloaded."""
        try:
            from transformers import AutoImageProcessor, AutoModelForImageTextToText, AutoTokenizer
        except ImportError as exc:
            raise ConfigError("local captioning needs: pip install 'mobile-agent[local]'") from exc
        try:
            model = AutoModelForImageTextToText.from_pretrained(path, local_files_only=True)
            processor = AutoImageProcessor.from_pretrained(path, local_files_only=True)
            tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"no usable captioning model at {path!r}: {exc}") from exc
        return cls(model, processor, tokenizer)

    def _name(self, crops: Sequence[IconCrop]) -> list[str]:
        import torch
        from PIL import Image as PILImage

        pictures = [PILImage.open(io.BytesIO(c.png)).convert("RGB") for c in crops]
        pixels = self.image_processor(images=pictures, return_tensors="pt").pixel_values
        with torch.inference_mode():
            ids = self.model.generate(pixel_values=pixels, max_new_tokens=self.max_new_tokens)
        return [str(t) for t in self.tokenizer.batch_decode(ids, skip_special_tokens=True)]


class ScriptedCaptioner(CachedCaptioner):
    """Names crops by place: the caption of the first `(box, caption)` rule whose box holds
    the crop's centre, else `default`. For tests and demos."""

    name = "scripted"

    def __init__(self, rules: Sequence[tuple[BoundingBox, str]], default: str = "") -> None:
        super().__init__()
        self.rules = list(rules)
        self.default = default
        self.seen: list[BoundingBox] = []

    def _name(self, crops: Sequence[IconCrop]) -> list[str]:
        self.seen.extend(c.bounds for c in crops)
        return [self._rule(c.bounds) for c in crops]

    def _rule(self, box: BoundingBox) -> str:
        x, y = box.center
        return next((text for area, text in self.rules if area.contains_point(x, y)), self.default)


@functools.lru_cache(maxsize=2)
def _local(path: str) -> LocalCaptioner:
    """One loaded local model per folder, shared by the runs that name it."""
    return LocalCaptioner.from_pretrained(path)


def make_captioner(
    kind: str, ask: Ask | None = None, model_name: str = "model"
) -> Captioner | None:
    """The captioner a setting names: "model" (the run's model, asked through `ask`),
    "local:<folder>", "none"."""
    kind = (kind or "none").strip()
    if kind == "none":
        return None
    if kind == "model":
        return ModelCaptioner(ask, model_name) if ask is not None else None
    if kind.startswith("local:") and kind[6:].strip():
        return _local(kind[6:].strip())
    raise ConfigError(f"unknown icon captioner {kind!r}; use model, local:<folder> or none")
