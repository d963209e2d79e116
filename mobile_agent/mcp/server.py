"""The MCP server: the phone tools over the Model Context Protocol (stdio), made with the
official `mcp` SDK.

Tools: `list_devices`, `observe` (numbered elements as text, and the screenshot as an
image), `act`, `confirm`, `run_task`, `list_shortcuts`, `run_shortcut`. Every action passes
the same safety gate as a run. A consequential one is put to the user through the client
(elicitation) when the client supports it; otherwise it is held and the tool's result says
what was held and how to allow it (`confirm` with a one-time token, or `allow=[KIND]`).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
from anyio import from_thread
from mcp.server.mcpserver import Context, Image, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from mobile_agent import __version__
from mobile_agent.errors import MobileAgentError
from mobile_agent.events import Event, Listener, StepFinished
from mobile_agent.mcp.phones import Phones
from mobile_agent.runner.replay import action_text
from virtual_phone.errors import VirtualPhoneError

if TYPE_CHECKING:
    from mobile_agent.api import Approve
    from mobile_agent.config import Settings
    from mobile_agent.safety import Concern

log = logging.getLogger(__name__)
T = TypeVar("T")

INSTRUCTIONS = """\
Drive Android phones. `observe` a phone to see its screen as numbered elements (and a
screenshot), then `act` on an element by its number; observe again after each act. Or hand
a whole task to `run_task`. Consequential actions (send, pay, delete, call, install, grant
a permission, type a password, leave the task's apps) need the user: when one is HELD, ask
the user and only then call `confirm` with the token the result gives."""

_READ_ONLY = frozenset({"list_devices", "observe", "list_shortcuts"})


class Approval(BaseModel):
    """What the user answers when a consequential action needs confirmation."""

    allow: bool = Field(description="allow this action, this once")


def build_server(settings: Settings, default_device: str | None = None) -> MCPServer[Any]:
    """The MCP server of mobile-agent, its phones opened on first use and closed at exit."""
    phones = Phones(settings, default_device)

    @asynccontextmanager
    async def lifespan(_: MCPServer[Any]) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await anyio.to_thread.run_sync(phones.close)

    server: MCPServer[Any] = MCPServer(
        "mobile-agent",
        instructions=INSTRUCTIONS,
        version=__version__,
        lifespan=lifespan,
        log_level="WARNING",
    )
    for tool in _tools(phones):
        hints = ToolAnnotations(
            read_only_hint=tool.__name__ in _READ_ONLY,
            destructive_hint=tool.__name__ not in _READ_ONLY,
        )
        server.add_tool(tool, annotations=hints, structured_output=False)
    return server


def _tools(phones: Phones) -> list[Callable[..., Any]]:
    """The tool functions, each a coroutine that runs the blocking work on a thread."""
    from mobile_agent.actions import default_registry

    async def list_devices() -> str:
        """The Android devices attached to the adb server: serial, state, model, screen."""
        return _json(await _blocking(phones.list_devices))

    async def observe(device: str | None = None) -> list[Any]:
        """The phone's screen: its app and numbered elements as text, and a screenshot."""
        screen = await _blocking(phones.observe, device)
        width, height = screen.size
        text = f"app: {screen.package}  screen: {width}x{height}\n{screen.text}"
        return [text, Image(data=screen.png, format="png")]

    async def act(
        action: str,
        ctx: Context,
        arguments: dict[str, Any] | None = None,
        device: str | None = None,
    ) -> str:
        """Do one action on the screen last observed; the element numbers are observe's."""
        return await _blocking(phones.act, action, arguments, device, _approver(ctx))

    act.__doc__ = f"{act.__doc__} Actions and their arguments:\n" + (
        default_registry().prompt_text()
    )

    async def confirm(token: str, ctx: Context) -> str:
        """Do a HELD action, once, after the user agreed (the token comes with the HELD
        result, and covers that action on that screen only)."""
        return await _blocking(phones.confirm, token, _approver(ctx))

    async def run_task(
        task: str,
        ctx: Context,
        device: str | None = None,
        allow: list[str] | None = None,
    ) -> str:
        """Carry out a whole task on the phone with the configured model; the result. Each
        step is reported as progress; cancelling the request stops the run. `allow`: kinds
        of consequential action the user allowed for this task."""
        making = functools.partial(phones.agent, device, allow or (), _approver(ctx))
        agent = await _blocking(making, _progress(ctx))
        try:
            return _json(await _blocking(phones.run_task, agent, task, abandon=True))
        except anyio.get_cancelled_exc_class():
            agent.stop()  # the run ends at its next checkpoint, on its own thread
            raise

    async def list_shortcuts() -> str:
        """The learned shortcuts: name, status, what they do, their arguments."""
        return _json(await _blocking(phones.list_shortcuts))

    async def run_shortcut(
        name: str,
        ctx: Context,
        arguments: dict[str, Any] | None = None,
        device: str | None = None,
        allow: list[str] | None = None,
    ) -> str:
        """Replay a learned shortcut without a model, checking each step's effect."""
        call = functools.partial(
            phones.run_shortcut, name, arguments, device, allow or (), _approver(ctx)
        )
        return _json(await _blocking(call))

    return [list_devices, observe, act, confirm, run_task, list_shortcuts, run_shortcut]


def _approver(ctx: Context) -> Approve | None:
    """Confirmations put to the user through the client, when it can ask (elicitation);
    None otherwise (consequential actions are then held)."""
    capabilities = ctx.client_capabilities
    if capabilities is None or capabilities.elicitation is None:
        return None

    def approve(concern: Concern) -> bool | None:
        return from_thread.run(_ask, ctx, concern)

    return approve


async def _ask(ctx: Context, concern: Concern) -> bool | None:
    question = f"The agent wants to {concern.what}: this would {concern.meaning}. Allow it?"
    answer = await ctx.elicit(question, schema=Approval)
    if answer.action == "accept":
        return bool(answer.data.allow)
    return False if answer.action == "decline" else None


def _progress(ctx: Context) -> Listener:
    """Each finished step of a run as a progress notification (when the client asked)."""

    def report(event: Event) -> None:
        if isinstance(event, StepFinished):
            action = action_text(event.action) if event.action else "no action"
            line = f"step {event.step}: {action} — {event.outcome}"
            from_thread.run(ctx.report_progress, event.step, None, line)

    return report


async def _blocking(fn: Callable[..., T], *args: Any, abandon: bool = False) -> T:
    """`fn(*args)` on a worker thread (left to finish on its own when the request is
    cancelled, with `abandon`); errors the user can act on reach the client with their
    message (anything else is a crash, logged here with its traceback)."""
    try:
        work = functools.partial(fn, *args)
        return await anyio.to_thread.run_sync(work, abandon_on_cancel=abandon)
    except (MobileAgentError, VirtualPhoneError, ValueError) as exc:
        raise ToolError(str(exc)) from exc


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def serve(settings: Settings, default_device: str | None = None) -> None:
    """Serve the tools on stdin / stdout until the client goes away."""
    build_server(settings, default_device).run("stdio")
