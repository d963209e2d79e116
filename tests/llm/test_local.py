"""The local transformers backend, on a tiny randomly initialised LLaVA built from a config.

Nothing is downloaded: the tokenizer is a word-level one made here, the weights are random.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
pytest.importorskip("tokenizers")

from PIL import Image as PILImage  # noqa: E402

from mobile_agent.errors import Cancelled, DeadlineExceeded, Truncated  # noqa: E402
from mobile_agent.llm.base import ChatModel, Image, Message, Role  # noqa: E402
from mobile_agent.llm.factory import make_chat_model  # noqa: E402
from mobile_agent.llm.local import TransformersChatModel  # noqa: E402

WORDS = ["<pad>", "<s>", "</s>", "<unk>", "<image>", "user", "assistant", "system", ":"]
WORDS += [f"w{i}" for i in range(40)]
IMAGE_ID, EOS_ID = 4, 2
TEMPLATE = (
    "{% for m in messages %}{{ m['role'] }} : "
    "{% if m['content'] is string %}{{ m['content'] }}{% else %}"
    "{% for p in m['content'] %}{% if p['type'] == 'image' %}<image> "
    "{% else %}{{ p['text'] }} {% endif %}{% endfor %}{% endif %}{{ '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}assistant :{% endif %}"
)


def tiny_tokenizer() -> Any:
    from tokenizers import Tokenizer, models, pre_tokenizers

    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(WORDS)}, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
    )
    fast.add_tokens(["<image>"], special_tokens=True)
    fast.chat_template = TEMPLATE
    return fast


def tiny_llava() -> tuple[Any, Any]:
    image_cls = getattr(transformers, "CLIPImageProcessorPil", transformers.CLIPImageProcessor)
    image_processor = image_cls(size={"shortest_edge": 30}, crop_size={"height": 30, "width": 30})
    processor = transformers.LlavaProcessor(
        image_processor=image_processor,
        tokenizer=tiny_tokenizer(),
        patch_size=15,
        vision_feature_select_strategy="default",
        chat_template=TEMPLATE,
        image_token="<image>",
        num_additional_image_tokens=1,
    )
    vision = transformers.CLIPVisionConfig(
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        image_size=30,
        patch_size=15,
    )
    text = transformers.LlamaConfig(
        vocab_size=len(WORDS),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=256,
        bos_token_id=1,
        eos_token_id=EOS_ID,
        pad_token_id=0,
    )
    config = transformers.LlavaConfig(
        vision_config=vision,
        text_config=text,
        image_token_index=IMAGE_ID,
        vision_feature_select_strategy="default",
        vision_feature_layer=-1,
    )
    torch.manual_seed(0)
    return transformers.LlavaForConditionalGeneration(config).eval(), processor


def stop_after_one_token(model: Any) -> None:
    """Every token counts as end-of-sequence, so any reply is one word long."""
    model.generation_config.eos_token_id = list(range(len(WORDS)))


def never_stop(model: Any) -> None:
    """End-of-sequence can never be generated, so every reply runs to the token limit."""
    model.generation_config.eos_token_id = EOS_ID
    model.generation_config.suppress_tokens = [EOS_ID]


def png(width: int = 40, height: int = 64) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def screen_turn() -> list[Message]:
    return [Message(Role.SYSTEM, "w1 w2"), Message(Role.USER, "w3 w4 w5", (Image(png()),))]


@pytest.fixture
def llava() -> tuple[Any, Any]:
    return tiny_llava()


def test_generates_a_reply_from_text_and_image(llava):
    model, processor = llava
    stop_after_one_token(model)
    chat = TransformersChatModel(
        model=model, processor=processor, max_new_tokens=8, name="local:tiny"
    )

    completion = chat.complete(screen_turn())

    assert isinstance(chat, ChatModel)
    assert completion.text in WORDS
    assert completion.usage.output_tokens == 1
    # "system : w1 w2 / user : <image>×4 w3 w4 w5 / assistant :" (4 patches → 4 image slots)
    assert completion.usage.input_tokens == 2 + 2 + 2 + 4 + 3 + 2
    assert completion.usage.cost_usd == 0
    assert completion.finish_reason == "stop"
    assert completion.model == "local:tiny"


def test_reply_at_the_token_limit_is_truncated(llava):
    model, processor = llava
    never_stop(model)
    chat = TransformersChatModel(model=model, processor=processor, max_new_tokens=3)
    with pytest.raises(Truncated) as caught:
        chat.complete(screen_turn())
    assert len(caught.value.partial_text.split()) == 3  # type: ignore[attr-defined]


class CountingFlag:
    """An event-like flag that turns on at its `after`-th look."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > self.after


def test_cancel_stops_generation(llava):
    model, processor = llava
    never_stop(model)
    chat = TransformersChatModel(model=model, processor=processor, max_new_tokens=200)
    flag = CountingFlag(after=3)
    with pytest.raises(Cancelled):
        chat.complete(screen_turn(), cancel=flag)
    assert flag.looks < 10  # stopped within a few tokens, not after 200


@pytest.mark.timeout(120)
def test_cancel_set_during_generation_stops_it_within_a_token(llava):
    import threading
    import time

    model, processor = llava
    never_stop(model)
    chat = TransformersChatModel(model=model, processor=processor, max_new_tokens=200)
    cancel = threading.Event()
    passes: list[float] = []

    def count_pass(*_: Any) -> None:
        passes.append(time.monotonic())
        if len(passes) == 3:  # generating its third token: the call is in flight
            cancel.set()

    hook = model.register_forward_hook(count_pass)
    try:
        with pytest.raises(Cancelled):
            chat.complete(screen_turn(), cancel=cancel)
    finally:
        hook.remove()

    assert cancel.is_set()
    assert len(passes) <= 4  # the token being made when the cancel came, at most one more
    assert time.monotonic() - passes[2] < 5.0


def test_deadline_stops_generation(llava):
    model, processor = llava
    never_stop(model)
    chat = TransformersChatModel(
        model=model, processor=processor, max_new_tokens=200, deadline_s=1e-9
    )
    with pytest.raises(DeadlineExceeded):
        chat.complete(screen_turn())


def test_text_only_model_leaves_images_out(caplog):
    caplog.set_level(logging.WARNING)
    tokenizer = tiny_tokenizer()
    config = transformers.LlamaConfig(
        vocab_size=len(WORDS),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        bos_token_id=1,
        eos_token_id=EOS_ID,
    )
    torch.manual_seed(0)
    model = transformers.LlamaForCausalLM(config).eval()
    stop_after_one_token(model)
    chat = TransformersChatModel(model=model, processor=tokenizer, max_new_tokens=4)

    completion = chat.complete(screen_turn())

    assert completion.text in WORDS
    assert completion.usage.input_tokens == 2 + 2 + 2 + 3 + 2  # no image slots
    assert "takes no images" in caplog.text


def test_loads_a_saved_model_directory_through_the_factory(llava, tmp_path: Path):
    model, processor = llava
    stop_after_one_token(model)
    model.save_pretrained(tmp_path)
    processor.save_pretrained(tmp_path)

    chat = make_chat_model(f"local:{tmp_path}", max_new_tokens=4)
    completion = chat.complete(screen_turn())

    assert isinstance(chat, TransformersChatModel)
    assert completion.text in WORDS
    assert completion.usage.input_tokens == 15


def test_missing_directory_is_a_config_error(tmp_path):
    from mobile_agent.errors import ConfigError

    with pytest.raises(ConfigError, match="not found"):
        TransformersChatModel(tmp_path / "nothing-here")
