"""Where API keys come from: an explicit value, else the environment, else the OS keyring.

Keys live in the keyring under service ``mobile-agent`` with the provider name as user name
(`mobile-agent config set-key PROVIDER` writes them there). A machine without a usable keyring
backend simply has no stored keys. Every key found is registered with the log redactor.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from mobile_agent.errors import ConfigError
from mobile_agent.logs import register_secret

log = logging.getLogger(__name__)

KEYRING_SERVICE = "mobile-agent"
GENERIC_ENV = "MOBILE_AGENT_API_KEY"


def find_api_key(provider: str, env_vars: Sequence[str], explicit: str | None = None) -> str | None:
    """The key for `provider`: `explicit`, else the first set variable, else the keyring."""
    key = explicit or next(
        (os.environ[v] for v in (*env_vars, GENERIC_ENV) if os.environ.get(v)), None
    )
    if not key:
        key = keyring_key(provider)
    key = key.strip() if key else None
    register_secret(key)
    return key or None


def require_api_key(provider: str, env_vars: Sequence[str], explicit: str | None = None) -> str:
    """Like `find_api_key`, but a missing key raises `ConfigError` saying how to provide one."""
    key = find_api_key(provider, env_vars, explicit)
    if key:
        return key
    raise ConfigError(missing_key_message(provider, env_vars))


def missing_key_message(provider: str, env_vars: Sequence[str]) -> str:
    """How to provide a key for `provider`, in one sentence."""
    names = [*env_vars, GENERIC_ENV]
    listed = " or ".join(names[:-1]) + f" (or {names[-1]})" if len(names) > 1 else names[0]
    return (
        f"No API key for {provider}. Set the environment variable {listed}, "
        f"or store it with `mobile-agent config set-key {provider}`."
    )


def keyring_key(provider: str) -> str | None:
    """The key stored in the OS keyring for `provider`, or None (also without a keyring)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, provider)
    except KeyringError as exc:
        log.debug("no usable keyring (%s); keys come from the environment only", type(exc).__name__)
    except Exception as exc:  # third-party backends raise their own (D-Bus, crypto…) errors
        log.debug("keyring lookup failed (%s); treating the key as absent", type(exc).__name__)
    return None


def store_api_key(provider: str, key: str) -> None:
    """Save `key` for `provider` in the OS keyring; `ConfigError` if there is no usable one."""
    register_secret(key)
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(KEYRING_SERVICE, provider, key)
    except ImportError as exc:
        raise ConfigError("the `keyring` package is not installed") from exc
    except KeyringError as exc:
        raise ConfigError(
            f"no usable OS keyring to store the {provider} key ({type(exc).__name__}); "
            "set the environment variable instead"
        ) from None


def delete_api_key(provider: str) -> bool:
    """Remove the stored key of `provider`; False if there was none or no keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.delete_password(KEYRING_SERVICE, provider)
    except ImportError:
        return False
    except KeyringError:
        return False
    return True
