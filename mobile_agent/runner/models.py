"""The chat model of each agent, from the settings (one instance per distinct spec)."""

from __future__ import annotations

from mobile_agent.config import Settings
from mobile_agent.errors import ConfigError
from mobile_agent.llm.base import ChatModel

ROLES = ("manager", "operator", "reflector", "notetaker")


def build_models(
    settings: Settings, *, model: str | None = None, base_url: str | None = None
) -> dict[str, ChatModel]:
    """One model per agent role: `settings.agent_models[role]`, else `model` or `settings.model`.

    Agents that name the same spec share one model instance.
    """
    from mobile_agent.llm.factory import make_chat_model

    default = model or settings.model
    url = base_url or settings.base_url or None
    made: dict[str, ChatModel] = {}
    models: dict[str, ChatModel] = {}
    for role in ROLES:
        spec = settings.agent_models.get(role) or default
        if not spec:
            raise ConfigError(f"no model configured for the {role}")
        if spec not in made:
            made[spec] = make_chat_model(
                spec,
                base_url=url,
                timeout_s=settings.model_timeout_s,
                deadline_s=settings.model_deadline_s,
            )
        models[role] = made[spec]
    return models
