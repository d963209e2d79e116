"""Model specs, provider defaults and where API keys come from."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError

from mobile_agent.config import AGENT_ROLES, Settings
from mobile_agent.errors import ConfigError
from mobile_agent.llm.anthropic_model import AnthropicChatModel
from mobile_agent.llm.base import ChatModel, Message, Role
from mobile_agent.llm.factory import (
    PROVIDERS,
    describe_providers,
    make_chat_model,
    models_for_roles,
    parse_spec,
)
from mobile_agent.llm.keys import delete_api_key, find_api_key, store_api_key
from mobile_agent.llm.openai_compat import OpenAIChatModel
from mobile_agent.llm.scripted import ScriptedChatModel

from .fake_server import FakeLLMServer, openai_reply

KEY_VARS = [
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "OPENROUTER_API_KEY",
    "DASHSCOPE_API_KEY",
    "VLLM_API_KEY",
    "MOBILE_AGENT_API_KEY",
]


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in KEY_VARS:
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """No usable keyring (and never the real one of the machine running the tests)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(no_keyring: None) -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.mark.parametrize(
    ("spec", "provider", "model"),
    [
        ("openai:gpt-4o", "openai", "gpt-4o"),
        ("ollama:qwen2.5vl:7b", "ollama", "qwen2.5vl:7b"),
        (" Qwen:qwen-vl-max ", "dashscope", "qwen-vl-max"),
        ("gemini:gemini-2.0-flash", "gemini", "gemini-2.0-flash"),
        ("openrouter:anthropic/claude-sonnet-4", "openrouter", "anthropic/claude-sonnet-4"),
        ("scripted:/tmp/a:b.json", "scripted", "/tmp/a:b.json"),
    ],
)
def test_parse_spec(spec, provider, model):
    found, name = parse_spec(spec)
    assert (found.name, name) == (provider, model)


@pytest.mark.parametrize("spec", ["gpt-4o", "openai:", ":gpt-4o", "skynet:t800", ""])
def test_bad_specs_are_config_errors(spec):
    with pytest.raises(ConfigError, match=r"provider|spec"):
        parse_spec(spec)


def test_missing_key_says_exactly_what_to_do(no_keyring):
    with pytest.raises(ConfigError) as caught:
        make_chat_model("openai:gpt-4o")
    assert str(caught.value) == (
        "No API key for openai. Set the environment variable OPENAI_API_KEY "
        "(or MOBILE_AGENT_API_KEY), or store it with `mobile-agent config set-key openai`."
    )


def test_missing_key_fails_before_any_request(no_keyring, server: FakeLLMServer):
    server.script(openai_reply("never"))
    with pytest.raises(ConfigError, match="Set the environment variable OPENAI_API_KEY"):
        make_chat_model("openai:gpt-4o", base_url=f"{server.base_url}/v1")
    assert server.requests == []


def test_missing_gemini_key_names_both_variables(no_keyring):
    with pytest.raises(ConfigError, match="GEMINI_API_KEY or GOOGLE_API_KEY"):
        make_chat_model("gemini:gemini-2.0-flash")


def test_key_precedence_explicit_then_env_then_keyring(monkeypatch, memory_keyring):
    memory_keyring.set_password("mobile-agent", "openai", "sk-from-keyring-123")
    assert find_api_key("openai", ["OPENAI_API_KEY"]) == "sk-from-keyring-123"
    monkeypatch.setenv("MOBILE_AGENT_API_KEY", "sk-generic-env-123")
    assert find_api_key("openai", ["OPENAI_API_KEY"]) == "sk-generic-env-123"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env-123")
    assert find_api_key("openai", ["OPENAI_API_KEY"]) == "sk-from-env-123"
    assert find_api_key("openai", ["OPENAI_API_KEY"], "sk-explicit-123") == "sk-explicit-123"


def test_no_keyring_backend_counts_as_no_key(no_keyring):
    assert find_api_key("anthropic", ["ANTHROPIC_API_KEY"]) is None
    with pytest.raises(ConfigError, match="no usable OS keyring"):
        store_api_key("anthropic", "sk-ant-xyz-123456")


def test_stored_key_is_used_by_the_model(memory_keyring, server: FakeLLMServer):
    store_api_key("openai", "sk-stored-in-keyring-42")
    server.script(openai_reply("ok"))
    model = make_chat_model("openai:gpt-4o-mini", base_url=f"{server.base_url}/v1")

    assert model.complete([Message(Role.USER, "hi")]).text == "ok"
    assert server.requests[0].headers["authorization"] == "Bearer sk-stored-in-keyring-42"
    assert server.requests[0].body["model"] == "gpt-4o-mini"
    assert delete_api_key("openai")
    assert find_api_key("openai", ["OPENAI_API_KEY"]) is None
    assert not delete_api_key("openai")


def test_env_key_reaches_the_server(monkeypatch, no_keyring, server: FakeLLMServer):
    monkeypatch.setenv("OPENROUTER_API_KEY", "sk-or-env-key-777")
    server.script(openai_reply("ok"))
    model = make_chat_model(
        "openrouter:openai/gpt-4o", base_url=f"{server.base_url}/v1", max_tokens=50
    )
    model.complete([Message(Role.USER, "hi")])
    request = server.requests[0]
    assert request.headers["authorization"] == "Bearer sk-or-env-key-777"
    assert request.body["max_tokens"] == 50


def test_provider_defaults(monkeypatch, no_keyring):
    monkeypatch.setenv("GEMINI_API_KEY", "AIzaFakeFakeFakeFakeFakeFake123")
    gemini = make_chat_model("gemini:gemini-2.0-flash")
    ollama = make_chat_model("ollama:llava:13b", timeout_s=5)
    openai = make_chat_model("openai:o3-mini", api_key="sk-explicit-000111")

    assert isinstance(gemini, OpenAIChatModel)
    assert gemini.base_url == "https://generativelanguage.googleapis.com/v1beta/openai/"
    assert gemini.json_schema
    assert gemini.name == "gemini:gemini-2.0-flash"
    assert isinstance(ollama, OpenAIChatModel)
    assert ollama.base_url == "http://localhost:11434/v1"
    assert ollama.timeout_s == 5
    assert not ollama.json_schema
    assert isinstance(openai, OpenAIChatModel)
    assert openai.max_tokens_param == "max_completion_tokens"


def test_anthropic_and_deadline(no_keyring):
    model = make_chat_model("claude:claude-sonnet-4-5", api_key="sk-ant-explicit-1", deadline_s=33)
    assert isinstance(model, AnthropicChatModel)
    assert model.retry.deadline_s == 33
    assert isinstance(model, ChatModel)


def test_openai_compatible_needs_a_base_url(no_keyring):
    with pytest.raises(ConfigError, match="base URL"):
        make_chat_model("openai-compatible:my-model")
    model = make_chat_model("openai-compatible:my-model", base_url="http://127.0.0.1:9/v1")
    assert model.name == "openai-compatible:my-model"


def test_unknown_option_is_a_config_error():
    with pytest.raises(ConfigError, match="bad option"):
        make_chat_model("ollama:llava", colour="red")


def test_scripted_spec_reads_its_file(tmp_path):
    script = tmp_path / "demo.json"
    script.write_text('["hello from the script"]')
    model = make_chat_model(f"scripted:{script}")
    assert isinstance(model, ScriptedChatModel)
    assert model.complete([Message(Role.USER, "hi")]).text == "hello from the script"
    with pytest.raises(ConfigError, match="not found"):
        make_chat_model(f"scripted:{tmp_path / 'absent.json'}")


def test_local_without_the_extra_explains_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed
    with pytest.raises(ConfigError, match=r"mobile-agent\[local\]"):
        make_chat_model(f"local:{tmp_path}")


def test_describe_providers_covers_every_provider():
    lines = describe_providers()
    assert len(lines) == len(PROVIDERS)
    for name, line in zip(PROVIDERS, lines, strict=True):
        assert line.startswith(name)
    assert any("OPENAI_API_KEY" in line for line in lines)


def test_importing_the_package_loads_no_sdk():
    code = (
        "import sys, mobile_agent.llm as llm; llm.make_chat_model; "
        "print(sorted(m for m in ('openai', 'anthropic', 'keyring', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def script(tmp_path, name: str) -> str:
    """The spec of a scripted model replying "from NAME"."""
    path = tmp_path / name
    path.write_text(f'{{"replies": [{{"reply": "from {name}", "repeat": true, "match": ""}}]}}')
    return f"scripted:{path}"


def test_models_for_roles_share_one_instance_per_spec(tmp_path):
    default, notes = script(tmp_path, "default.json"), script(tmp_path, "notes.json")
    settings = Settings(model=default, agent_models={"notetaker": notes})

    models = models_for_roles(settings)

    assert list(models) == list(AGENT_ROLES)
    assert models["manager"] is models["operator"] is models["reflector"]
    assert models["notetaker"] is not models["manager"]
    assert models["manager"].complete([Message(Role.USER, "hi")]).text == "from default.json"
    assert models["notetaker"].complete([Message(Role.USER, "hi")]).text == "from notes.json"


def test_models_for_roles_model_argument_beats_the_default_only(tmp_path):
    settings = Settings(
        model=script(tmp_path, "configured.json"),
        agent_models={"reflector": script(tmp_path, "reflector.json")},
    )

    models = models_for_roles(settings, model=script(tmp_path, "chosen.json"))

    assert models["manager"].name == "scripted:chosen.json"
    assert models["reflector"].name == "scripted:reflector.json"


def test_models_for_roles_needs_a_model_for_every_role(tmp_path):
    settings = Settings(agent_models={"manager": script(tmp_path, "m.json")})
    with pytest.raises(ConfigError, match="no model configured for the operator"):
        models_for_roles(settings)
    with pytest.raises(ConfigError, match="no model configured for the manager"):
        models_for_roles(Settings())


def test_models_for_roles_pass_base_url_timeout_and_deadline(server: FakeLLMServer):
    settings = Settings(
        model="openai-compatible:served",
        base_url="http://127.0.0.1:9/v1",
        model_timeout_s=7,
        model_deadline_s=42,
    )

    configured = models_for_roles(settings)["operator"]
    chosen = models_for_roles(settings, base_url=f"{server.base_url}/v1")["operator"]

    assert isinstance(configured, OpenAIChatModel)
    assert configured.base_url == "http://127.0.0.1:9/v1"
    assert (configured.timeout_s, configured.retry.deadline_s) == (7, 42)
    server.script(openai_reply("served"))
    assert chosen.complete([Message(Role.USER, "hi")]).text == "served"
    assert server.requests[0].body["model"] == "served"
