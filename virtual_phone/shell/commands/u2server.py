"""`app_process`: starts the uiautomator2 server on a device port for as long as the
shell stream that started it stays open (that is how uiautomator2 runs its server)."""

from __future__ import annotations

import logging

from virtual_phone.contract import StreamLike
from virtual_phone.shell.context import CommandFunc, Ctx

log = logging.getLogger(__name__)

DEFAULT_PORT = 9008
SERVER_MARKERS = ("uia2", "uiautomator")


def _class_and_port(args: list[str]) -> tuple[str | None, int, list[str]]:
    """(main class, -p port, -Djava.class.path entries) of an app_process command line."""
    classpath: list[str] = []
    operands: list[str] = []
    port = DEFAULT_PORT
    index = 0
    while index < len(args):
        arg = args[index]
        if arg.startswith("-Djava.class.path="):
            classpath.extend(arg.split("=", 1)[1].split(":"))
        elif arg == "-p" and index + 1 < len(args) and args[index + 1].isdigit():
            port = int(args[index + 1])
            index += 1
        elif not arg.startswith("-"):
            operands.append(arg)
        index += 1
    main_class = operands[1] if len(operands) >= 2 else None
    return main_class, port, classpath


async def app_process(ctx: Ctx) -> int:
    main_class, port, classpath = _class_and_port(ctx.args)
    if main_class is None:
        ctx.err("Usage: app_process [java-options] cmd-dir start-class-name [options]\n")
        return 1
    classpath += [p for p in ctx.env.get("CLASSPATH", "").split(":") if p]
    missing = [p for p in classpath if ctx.phone.fs.stat(p) is None]
    if not classpath or missing or not any(m in main_class.lower() for m in SERVER_MARKERS):
        ctx.err(f'Exception in thread "main" java.lang.ClassNotFoundException: {main_class}\n')
        return 1
    return await _serve_u2(ctx, port)


async def _serve_u2(ctx: Ctx, port: int) -> int:
    try:
        from virtual_phone.u2 import serve_connection
    except ImportError as exc:
        log.error("the uiautomator2 server is not available: %s", exc)
        ctx.err("java.lang.NoClassDefFoundError: com/wetest/uia2/Main\n")
        return 1
    phone = ctx.phone
    if phone.tcp_handler(port) is not None:
        ctx.err(f"java.net.BindException: Address already in use (port {port})\n")
        return 1

    async def handler(stream: StreamLike) -> None:
        await serve_connection(phone, stream)

    phone.register_tcp(port, handler)
    ctx.state.log("UiAutomator2Server", f"Starting Server on port {port}", process="app_process")
    log.info("uiautomator2 server listening on device port %d", port)
    try:
        ctx.out(f"[server] INFO: [UiAutomator2Server] Starting Server on port {port}\n")
        await ctx.flush()
        await ctx.hangup.wait()
    finally:
        if phone.tcp_handler(port) is handler:
            phone.register_tcp(port, None)
        ctx.state.forget_pid("app_process")
        log.info("uiautomator2 server on device port %d stopped", port)
    return 0


COMMANDS: dict[str, CommandFunc] = {"app_process": app_process, "app_process64": app_process}
