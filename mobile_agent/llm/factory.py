"""Make a `ChatModel` from a "provider:model" spec, e.g. ``openai:gpt-4o`` or
``ollama:qwen2.5vl:7b`` (everything after the first colon is the model), and the models of
every agent role from the settings."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobile_agent.errors import ConfigError
from mobile_agent.llm.base import ChatModel
from mobile_agent.llm.keys import find_api_key, missing_key_message, require_api_key
from mobile_agent.llm.retry import RetryPolicy

if TYPE_CHECKING:
    from mobile_agent.config import Settings
    from mobile_agent.llm.remote import RemoteChatModel

_NO_KEY = "not-needed"  # what local servers get when no key is configured


@dataclass(frozen=True)
class Provider:
    """What the factory knows about one provider."""

    name: str
    kind: str  # "openai" (compatible API), "anthropic", "local" or "scripted"
    about: str
    base_url: str | None = None
    env_vars: tuple[str, ...] = ()
    key_required: bool = True
    json_schema: bool = False
    max_tokens_param: str = "max_tokens"


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in (
        Provider(
            "openai",
            "openai",
            "OpenAI (gpt-4o, gpt-4.1, o-series…)",
            None,
            ("OPENAI_API_KEY",),
            json_schema=True,
            max_tokens_param="max_completion_tokens",
        ),
        Provider("anthropic", "anthropic", "Anthropic Claude", None, ("ANTHROPIC_API_KEY",)),
        Provider(
            "gemini",
            "openai",
            "Google Gemini (OpenAI-compatible endpoint)",
            "https://generativelanguage.googleapis.com/v1beta/openai/",
            ("GEMINI_API_KEY", "GOOGLE_API_KEY"),
            json_schema=True,
        ),
        Provider(
            "openrouter",
            "openai",
            "OpenRouter (many vendors' models)",
            "https://openrouter.ai/api/v1",
            ("OPENROUTER_API_KEY",),
        ),
        Provider(
            "dashscope",
            "openai",
            "Alibaba Qwen via DashScope (international endpoint)",
            "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
            ("DASHSCOPE_API_KEY",),
        ),
        Provider(
            "ollama",
            "openai",
            "Ollama on this computer",
            "http://localhost:11434/v1",
            key_required=False,
        ),
        Provider(
            "lmstudio",
            "openai",
            "LM Studio on this computer",
            "http://localhost:1234/v1",
            key_required=False,
        ),
        Provider(
            "vllm",
            "openai",
            "a vLLM server",
            "http://localhost:8000/v1",
            ("VLLM_API_KEY",),
            key_required=False,
        ),
        Provider(
            "openai-compatible",
            "openai",
            "any OpenAI-compatible server (needs base_url)",
            None,
            (),
            key_required=False,
        ),
        Provider("local", "local", "a transformers model directory (needs the `local` extra)"),
        Provider("scripted", "scripted", "replies replayed from a JSON/JSONL file (demos, tests)"),
    )
}
ALIASES = {
    "qwen": "dashscope",
    "google": "gemini",
    "claude": "anthropic",
    "compatible": "openai-compatible",
    "lm-studio": "lmstudio",
}


def describe_providers() -> list[str]:
    """One help line per provider: ``name  description [key: ENV_VAR]``."""
    lines = []
    for p in PROVIDERS.values():
        key = f" [key: {' or '.join(p.env_vars)}]" if p.env_vars and p.key_required else ""
        where = f" at {p.base_url}" if p.base_url else ""
        lines.append(f"{p.name:<18} {p.about}{where}{key}")
    return lines


def parse_spec(spec: str) -> tuple[Provider, str]:
    """The provider and model named by "provider:model"."""
    provider_name, sep, model = spec.strip().partition(":")
    if not sep or not model.strip():
        raise ConfigError(f"model spec {spec!r} is not provider:model (e.g. openai:gpt-4o)")
    name = provider_name.strip().lower()
    provider = PROVIDERS.get(ALIASES.get(name, name))
    if provider is None:
        raise ConfigError(
            f"unknown model provider {provider_name!r}; known: {', '.join(PROVIDERS)}"
        )
    return provider, model.strip()


def make_chat_model(
    spec: str,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    timeout_s: float = 60,
    deadline_s: float = 180,
    **opts: Any,
) -> ChatModel:
    """A `ChatModel` for `spec`; a missing key or a bad option raises `ConfigError`.

    `opts` go to the backend (e.g. max_tokens, temperature, json_schema, image_detail,
    retry=RetryPolicy(...), on_retry=callable).
    """
    provider, model = parse_spec(spec)
    if provider.kind == "scripted":
        return _scripted(model, opts)
    if provider.kind == "local":
        return _local(model, deadline_s, opts)
    opts.setdefault("retry", RetryPolicy(deadline_s=deadline_s))
    return _remote(provider, model, base_url, api_key, timeout_s, opts)


def models_for_roles(
    settings: Settings, *, model: str | None = None, base_url: str | None = None
) -> dict[str, ChatModel]:
    """The model of each agent role: `settings.agent_models[role]`, else `model` or
    `settings.model`; agents naming the same spec share one instance.

    `base_url` (else `settings.base_url`) and the settings' timeout and deadline go to every
    model. A role left without a model raises `ConfigError`.
    """
    from mobile_agent.config import AGENT_ROLES

    default = model or settings.model
    url = base_url or settings.base_url or None
    by_spec: dict[str, ChatModel] = {}
    by_role: dict[str, ChatModel] = {}
    for role in AGENT_ROLES:
        spec = settings.agent_models.get(role) or default
        if not spec:
            raise ConfigError(f"no model configured for the {role}")
        if spec not in by_spec:
            by_spec[spec] = make_chat_model(
                spec,
                base_url=url,
                timeout_s=settings.model_timeout_s,
                deadline_s=settings.model_deadline_s,
            )
        by_role[role] = by_spec[spec]
    return by_role


def _remote(
    provider: Provider,
    model: str,
    base_url: str | None,
    api_key: str | None,
    timeout_s: float,
    opts: dict[str, Any],
) -> ChatModel:
    backend: type[RemoteChatModel]
    if provider.kind == "anthropic":
        from mobile_agent.llm.anthropic_model import AnthropicChatModel as backend
    else:
        from mobile_agent.llm.openai_compat import OpenAIChatModel as backend

        opts.setdefault("provider", provider.name)
        opts.setdefault("max_tokens_param", provider.max_tokens_param)
    url = base_url or provider.base_url
    if provider.name == "openai-compatible" and not url:
        raise ConfigError("openai-compatible models need a base URL (--base-url)")
    if provider.key_required:
        key = require_api_key(provider.name, provider.env_vars, api_key)
    else:
        key = find_api_key(provider.name, provider.env_vars, api_key) or _NO_KEY
    opts.setdefault("json_schema", provider.json_schema)
    return _build(
        backend,
        model,
        api_key=key,
        base_url=url,
        timeout_s=timeout_s,
        key_hint=_key_hint(provider),
        **opts,
    )


def _local(path: str, deadline_s: float, opts: dict[str, Any]) -> ChatModel:
    from mobile_agent.llm.local import TransformersChatModel

    return _build(TransformersChatModel, path, deadline_s=deadline_s, **opts)


def _scripted(path: str, opts: dict[str, Any]) -> ChatModel:
    from mobile_agent.llm.scripted import ScriptedChatModel

    if not Path(path).is_file():
        raise ConfigError(f"script file not found: {path}")
    return _build(ScriptedChatModel.from_file, path, **opts)


def _build(cls: Any, *args: Any, **kwargs: Any) -> ChatModel:
    try:
        _check_options(cls, args, kwargs)
    except TypeError as exc:
        what = getattr(cls, "__qualname__", "the model")
        raise ConfigError(f"bad option for {what}: {exc}") from None
    model: ChatModel = cls(*args, **kwargs)
    return model


def _check_options(make: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """TypeError if `make(*args, **kwargs)` would name a parameter that does not exist.

    `**options` are checked where they are handed on: from a class to its base class, from a
    class method (such as `from_file`) to its class.
    """
    signature = inspect.signature(make)
    bound = signature.bind(*args, **kwargs)
    rest = [p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD]
    options = bound.arguments.get(rest[0], {}) if rest else {}
    if options:
        owner = getattr(make, "__self__", None)
        if not isinstance(owner, type):
            owner = next(b for b in make.__mro__[1:] if "__init__" in vars(b))
        inspect.signature(owner).bind_partial(**options)


def _key_hint(provider: Provider) -> str:
    """What to do about a rejected key (the missing-key advice)."""
    return missing_key_message(provider.name, provider.env_vars).replace(
        f"No API key for {provider.name}. ", "Check the key: "
    )
