"""A scripted HTTP server on loopback that speaks just enough of the OpenAI chat-completions
and Anthropic messages APIs for the real SDKs to talk to it.

Each request takes the next `Reply` from the script; once the script runs out, the responder
(see `FakeLLMServer.respond`) answers, and without one a 500 names the problem. Every request
is recorded with its arrival time, path, headers and JSON body.
"""

from __future__ import annotations

import json
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted response. `hang=True` holds the request open until the server stops.

    The content type is JSON unless `headers` name another one.
    """

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    at: float
    path: str
    headers: dict[str, str]
    body: Any


def openai_reply(
    text: str | None = "ok",
    *,
    finish_reason: str = "stop",
    prompt_tokens: int = 11,
    completion_tokens: int = 7,
    model: str = "gpt-4o-mini",
) -> Reply:
    """A successful chat-completions response."""
    return Reply(
        body={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1700000000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


def anthropic_reply(
    text: str = "ok",
    *,
    stop_reason: str = "end_turn",
    input_tokens: int = 13,
    output_tokens: int = 5,
    model: str = "claude-haiku-4-5",
) -> Reply:
    """A successful messages-API response."""
    return Reply(
        body={
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": text}],
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
        }
    )


def cancel_on_arrival(cancel: threading.Event) -> Callable[[Request], Reply]:
    """A responder that sets `cancel` once a request has arrived, and never answers it."""

    def respond(request: Request) -> Reply:
        cancel.set()
        return Reply(hang=True)

    return respond


def error_reply(status: int, message: str, *, headers: dict[str, str] | None = None) -> Reply:
    """An error response in the shape both APIs use."""
    body = {"error": {"message": message, "type": "error", "code": None}}
    return Reply(status=status, body=body, headers=headers or {})


class FakeLLMServer:
    """A threaded HTTP server on 127.0.0.1 serving a script of replies."""

    def __init__(self) -> None:
        self._script: deque[Reply] = deque()
        self._responder: Callable[[Request], Reply] | None = None
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.requests: list[Request] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """Root URL; the OpenAI SDK wants `<root>/v1`, the Anthropic SDK the root itself."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *replies: Reply) -> None:
        """Append replies to the script."""
        with self._lock:
            self._script.extend(replies)

    def respond(self, responder: Callable[[Request], Reply] | None) -> None:
        """Answer requests with `responder(request)` once the script is used up (None: a 500)."""
        with self._lock:
            self._responder = responder

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _next(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._script:
                return self._script.popleft()
            responder = self._responder
        if responder is not None:
            return responder(request)
        return error_reply(500, "fake server: script exhausted")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw
                headers = {k.lower(): v for k, v in self.headers.items()}
                request = Request(time.monotonic(), self.path, headers, body)
                reply = server._next(request)
                if reply.hang:
                    server._release.wait(timeout=60)
                    return
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if isinstance(reply.body, bytes | str):
                    data = reply.body.encode() if isinstance(reply.body, str) else reply.body
                else:
                    data = json.dumps(reply.body).encode()
                given = {name.lower(): value for name, value in reply.headers.items()}
                headers = {"content-type": "application/json", **given}
                try:
                    self.send_response(reply.status)
                    self.send_header("content-length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up on this request

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        return Handler


def closed_port() -> int:
    """A loopback port that nothing listens on: connecting is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@contextmanager
def unanswered_port() -> Iterator[int]:
    """A loopback port whose listener never accepts and whose queue is full: a connection
    attempt gets no answer at all, as from a host that drops packets."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port: int = listener.getsockname()[1]
    queued = [socket.socket() for _ in range(3)]
    for client in queued:  # fill the accept queue; later connection attempts are dropped
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", port))
    select.select([], queued, [], 5)  # one of them is connected: the queue is full
    try:
        yield port
    finally:
        for sock in (*queued, listener):
            sock.close()


@contextmanager
def running_server() -> Iterator[FakeLLMServer]:
    """A started server, stopped afterwards."""
    server = FakeLLMServer().start()
    try:
        yield server
    finally:
        server.stop()
