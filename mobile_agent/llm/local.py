"""A vision-language model run locally with Hugging Face `transformers` (the `local` extra).

torch and transformers are imported only when such a model is made. Give either a model
directory (loaded from local files only, unless `allow_download`) or an already-built model
and processor. Generation checks the cancel flag and the deadline at every token (a stopping
criterion), so a cancel ends a call within one token's time.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from pathlib import Path
from typing import Any

from mobile_agent.errors import Cancelled, ConfigError, DeadlineExceeded, ProviderError
from mobile_agent.llm.base import Completion, Message, Schema, Usage
from mobile_agent.llm.replies import truncated
from mobile_agent.llm.retry import check_cancel

log = logging.getLogger(__name__)

_MISSING_EXTRA = (
    "the local model backend needs torch and transformers: pip install 'mobile-agent[local]'"
)


def _require_extra() -> None:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise ConfigError(f"{_MISSING_EXTRA} ({exc.name} is missing)") from None


class TransformersChatModel:
    """A `ChatModel` generating with a local transformers model (greedy by default)."""

    honours_cancel = True  # see `ChatModel`: callers need no watchdog thread

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        model: Any | None = None,
        processor: Any | None = None,
        max_new_tokens: int = 512,
        deadline_s: float = 180.0,
        device: str | None = None,
        allow_download: bool = False,
        name: str | None = None,
    ) -> None:
        _require_extra()
        if model_path is None and (model is None or processor is None):
            raise ConfigError("a local model needs a model directory, or a model and a processor")
        if model_path is not None and not allow_download and not Path(model_path).is_dir():
            raise ConfigError(f"local model directory not found: {model_path}")
        self.name = name or f"local:{Path(str(model_path)).name if model_path else 'model'}"
        self.model_path = model_path
        self.max_new_tokens = max_new_tokens
        self.deadline_s = deadline_s
        self.device = device
        self.allow_download = allow_download
        self._model = model
        self._processor = processor
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TransformersChatModel(name={self.name!r})"

    def complete(
        self, messages: list[Message], *, response_schema: Schema | None = None, cancel: Any = None
    ) -> Completion:
        """Generate a reply to `messages` (`response_schema` is not enforced locally)."""
        started = time.monotonic()
        check_cancel(cancel, self.name)
        with self._lock:
            model, processor = self._loaded()
            check_cancel(cancel, self.name)  # loading and waiting for the lock take a while
            try:
                inputs = _encode(processor, messages, model)
            except (RuntimeError, ValueError, TypeError, OSError) as exc:
                raise _failed(self.name, "cannot encode the prompt", exc) from exc
            output = self._generate(model, inputs, cancel, started)
        check_cancel(cancel, self.name)
        return self._finish(processor, model, inputs, output, started)

    def _loaded(self) -> tuple[Any, Any]:
        if self._model is None or self._processor is None:
            self._model, self._processor = _load(self.model_path, self.allow_download, self.device)
        return self._model, self._processor

    def _generate(self, model: Any, inputs: Any, cancel: Any | None, started: float) -> Any:
        from transformers import StoppingCriteriaList

        stop = _StopCheck(cancel, started + self.deadline_s)
        try:
            output = model.generate(
                **inputs,
                max_new_tokens=self.max_new_tokens,
                do_sample=False,
                stopping_criteria=StoppingCriteriaList([stop]),
            )
        except (RuntimeError, ValueError) as exc:
            raise _failed(self.name, "generation failed", exc) from exc
        if stop.reason == "cancel":
            raise Cancelled(f"{self.name}: cancelled")
        if stop.reason == "deadline":
            raise DeadlineExceeded(f"{self.name}: no reply within {self.deadline_s:g} s")
        return output

    def _finish(
        self, processor: Any, model: Any, inputs: Any, output: Any, started: float
    ) -> Completion:
        prompt_len = int(inputs["input_ids"].shape[1])
        new_tokens = output[0, prompt_len:]
        tokenizer = getattr(processor, "tokenizer", processor)
        text = tokenizer.decode(new_tokens, skip_special_tokens=True).strip()
        eos = _eos_ids(model, tokenizer)
        hit_limit = len(new_tokens) >= self.max_new_tokens
        if hit_limit and (not len(new_tokens) or int(new_tokens[-1]) not in eos):
            raise truncated(self.name, text)
        usage = Usage(prompt_len, len(new_tokens), 0.0)
        return Completion(
            text,
            usage,
            time.monotonic() - started,
            self.name,
            finish_reason="length" if hit_limit else "stop",
        )


def _failed(name: str, what: str, exc: Exception) -> ProviderError:
    """A local failure; trying again would fail the same way."""
    err = ProviderError(f"{name}: {what}: {exc}")
    err.retryable = False
    return err


class _StopCheck:
    """A stopping criterion that ends generation on cancel or at the deadline."""

    def __init__(self, cancel: Any | None, deadline: float) -> None:
        self.cancel = cancel
        self.deadline = deadline
        self.reason = ""

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
        if self.cancel is not None and self.cancel.is_set():
            self.reason = "cancel"
        elif time.monotonic() >= self.deadline:
            self.reason = "deadline"
        return bool(self.reason)


def _load(path: str | Path | None, allow_download: bool, device: str | None) -> tuple[Any, Any]:
    import transformers

    local_only = not allow_download
    try:
        processor = transformers.AutoProcessor.from_pretrained(path, local_files_only=local_only)
        model = _load_model(transformers, path, local_only)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot load the local model {path}: {exc}") from exc
    if device:
        model = model.to(device)
    model.eval()
    return model, processor


def _load_model(transformers: Any, path: str | Path | None, local_only: bool) -> Any:
    last: Exception | None = None
    for auto in ("AutoModelForImageTextToText", "AutoModelForVision2Seq", "AutoModelForCausalLM"):
        loader = getattr(transformers, auto, None)
        if loader is None:
            continue
        try:
            return loader.from_pretrained(path, local_files_only=local_only)
        except ValueError as exc:  # this auto class does not know the architecture
            last = exc
    raise ValueError(f"no transformers auto class can load this model ({last})")


def _encode(processor: Any, messages: list[Message], model: Any) -> Any:
    """Chat template + tokens (+ pixel values) for `messages`, on the model's device."""
    images = [_pil(i.data) for m in messages for i in m.images]
    multimodal = hasattr(processor, "image_processor")
    if images and not multimodal:
        log.warning("this local model takes no images; %d image(s) left out", len(images))
    chat = [_chat_turn(m, multimodal) for m in messages]
    template_owner = processor if hasattr(processor, "apply_chat_template") else None
    if template_owner is not None and getattr(processor, "chat_template", None):
        prompt = processor.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
    else:
        prompt = "\n".join(f"{m.role}: {m.text}" for m in messages) + "\nassistant:"
    if multimodal:
        inputs = processor(text=[prompt], images=images or None, return_tensors="pt")
    else:
        inputs = processor([prompt], return_tensors="pt")
    return inputs.to(model.device)


def _chat_turn(message: Message, multimodal: bool) -> dict[str, Any]:
    role = str(message.role)
    if not multimodal:
        return {"role": role, "content": message.text}
    parts: list[dict[str, Any]] = [{"type": "image"} for _ in message.images]
    parts.append({"type": "text", "text": message.text})
    return {"role": role, "content": parts}


def _pil(data: bytes) -> Any:
    from PIL import Image as PILImage

    return PILImage.open(io.BytesIO(data)).convert("RGB")


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    ids: set[int] = set()
    for value in (
        getattr(model.generation_config, "eos_token_id", None),
        getattr(tokenizer, "eos_token_id", None),
    ):
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list):
            ids.update(int(v) for v in value)
    return ids
