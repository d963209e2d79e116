"""Where a model server is reached: a base URL checked before any request is made, and a
failed connection to it described in plain words."""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import SplitResult, urlsplit

from mobile_agent.errors import ConfigError
from mobile_agent.logs import redact

_LABEL = re.compile(r"^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
_SHOWN = 80  # characters of a bad URL quoted in its error


def check_base_url(url: str) -> str:
    """`url` without surrounding blanks, if a model server can be reached at it.

    Otherwise `ConfigError` says what is wrong: not http(s), no or a bad host, a bad port, or
    characters a URL cannot hold (spaces, control characters, non-ASCII).
    """
    text = url.strip()
    problem = _problem(text)
    if problem:
        shown = redact(repr(text[:_SHOWN])) + ("…" if len(text) > _SHOWN else "")
        raise ConfigError(f"the base URL {shown} cannot work: {problem}")
    return text


def _problem(text: str) -> str:
    """What keeps `text` from being a usable base URL ("" when nothing does)."""
    if not text:
        return "it is empty"
    if "://" not in text:
        return "it does not start with http:// or https:// (e.g. http://localhost:11434/v1)"
    bad = next((c for c in text if not " " < c < "\x7f"), None)
    if bad is not None:
        where = text.index(bad) + 1
        kind = "a space or control character" if bad < "\x80" else "a non-ASCII character"
        hint = "" if bad < "\x80" else " (write an international host name in its xn-- form)"
        return f"it contains {kind}, {bad!r} at position {where}{hint}"
    try:
        parts = urlsplit(text)
    except ValueError:  # what urlsplit refuses: a bracketed host that is not IPv6
        if text.count("[") != text.count("]"):
            return "its host is not valid (an IPv6 address needs both [ and ])"
        return "its host in [ ] is not an IPv6 address"
    if "://" not in text or not parts.scheme:
        return "it does not start with http:// or https:// (e.g. http://localhost:11434/v1)"
    if parts.scheme.lower() not in ("http", "https"):
        return f"it uses {parts.scheme}://, but only http:// and https:// can reach a model"
    return _host_problem(parts) or _port_problem(parts)


def _host_problem(parts: SplitResult) -> str:
    host = parts.hostname or ""
    if not host:
        return "it names no host"
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return "its host in [ ] is not an IPv6 address"
        return ""
    if not all(_LABEL.match(label) for label in host.removesuffix(".").split(".")):
        return f"its host {host!r} is not a valid host name or IP address"
    return ""


def _port_problem(parts: SplitResult) -> str:
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or parts.netloc.endswith(":"):
        return "its port is not a number from 1 to 65535"
    return ""


def connection_failure(exc: BaseException, where: str, *, connect_s: float, read_s: float) -> str:
    """Why a request to `where` failed without an HTTP answer, from `exc` and its causes."""
    links = list(_causes(exc))
    names = {type(link).__name__ for link in links}
    if "ConnectTimeout" in names:
        return f"cannot connect to {where}: no connection within {connect_s:g} s"
    if names & {"ReadTimeout", "WriteTimeout", "PoolTimeout", "APITimeoutError"}:
        return f"no answer within {read_s:.1f} s"
    for link in links:
        reason = _plain_reason(link)
        if reason:
            return f"cannot connect to {where}: {reason}"
    if names & {"RemoteProtocolError", "ReadError"}:
        return f"the connection to {where} broke off before the reply was complete"
    last = links[-1]
    return f"cannot connect to {where}: {str(last) or type(last).__name__}"


def _plain_reason(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused (is the server running, and is the port right?)"
    if isinstance(error, socket.gaierror):
        return "the host name cannot be resolved (check the host in the base URL and the network)"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"its TLS certificate was not accepted ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return "the TLS handshake failed (does the server speak https, or only http?)"
    return ""


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then what caused it, and so on."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__
