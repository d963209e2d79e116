"""HTTP/1.x over one ADB `tcp:9008` stream, as the uiautomator2 client speaks it.

Every request gets a reply with `Content-Length`. Requests are framed from a buffer, so
they may arrive split at any byte or several in one chunk; a stream may carry several
requests (keep-alive) and ends when the host closes it or a request says
`Connection: close`. JSON-RPC errors are always HTTP 200: any other status makes the
client restart its server.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from virtual_phone.contract import PhoneLike, StreamLike
from virtual_phone.u2.device_methods import device_info
from virtual_phone.u2.faults import PARSE_ERROR, RpcError
from virtual_phone.u2.rpc import call

log = logging.getLogger(__name__)

SERVER_VERSION = "2.4.0"  # the android-uiautomator-server release uiautomator2 3.7.1 expects
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 64 * 1024 * 1024
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
_REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    431: "Request Header Fields Too Large",
    501: "Not Implemented",
}


class HttpError(Exception):
    """A request that cannot be framed; answered with `status` and the stream closed."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status


@dataclass(frozen=True, slots=True)
class Request:
    """One parsed HTTP request."""

    method: str
    path: str
    version: str
    headers: dict[str, str]  # lower-cased names
    body: bytes

    @property
    def keep_alive(self) -> bool:
        """Whether the connection stays open after the reply."""
        conn = self.headers.get("connection", "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" in conn
        return "close" not in conn


class RequestParser:
    """Frames HTTP requests out of a byte stream fed in arbitrary chunks."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[Request]:
        """Add bytes; return every request that is now complete."""
        self._buf += data
        done: list[Request] = []
        while (req := self._next()) is not None:
            done.append(req)
        return done

    @property
    def pending(self) -> int:
        """Bytes received but not yet part of a complete request."""
        return len(self._buf)

    def _next(self) -> Request | None:
        end = self._buf.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buf) > MAX_HEADER_BYTES:
                raise HttpError(431, "request header too large")
            return None
        method, path, version, headers = _parse_head(bytes(self._buf[:end]))
        length = _content_length(headers)
        total = end + 4 + length
        if len(self._buf) < total:
            return None
        body = bytes(self._buf[end + 4 : total])
        del self._buf[:total]
        return Request(method, path, version, headers, body)


def _parse_head(head: bytes) -> tuple[str, str, str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise HttpError(400, f"bad request line {lines[0]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise HttpError(400, f"bad header line {line!r}")
        headers[name.strip().lower()] = value.strip()
    return parts[0].upper(), parts[1], parts[2], headers


def _content_length(headers: dict[str, str]) -> int:
    if "transfer-encoding" in headers:
        raise HttpError(501, "chunked request bodies are not supported")
    raw = headers.get("content-length", "0")
    if not raw.isdigit():
        raise HttpError(400, f"bad Content-Length {raw!r}")
    length = int(raw)
    if length > MAX_BODY_BYTES:
        raise HttpError(413, "request body too large")
    return length


def format_response(status: int, content_type: str, body: bytes, *, keep_alive: bool) -> bytes:
    """Status line, headers and body of one reply."""
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("ascii") + body


def _json_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def _jsonrpc(phone: PhoneLike, body: bytes) -> bytes:
    try:
        request = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        error = RpcError(PARSE_ERROR, "Parse error", str(exc)).to_json()
        return _json_bytes({"jsonrpc": "2.0", "id": None, "error": error})
    if isinstance(request, list) and request:
        return _json_bytes([await call(phone, item) for item in request])
    return _json_bytes(await call(phone, request))


async def respond(phone: PhoneLike, req: Request) -> tuple[int, str, bytes]:
    """Status, content type and body for one request."""
    path = req.path.split("?", 1)[0].rstrip("/") or "/"
    if req.method == "POST" and path == "/jsonrpc/0":
        return 200, JSON_TYPE, await _jsonrpc(phone, req.body)
    if req.method != "GET":
        return 405, TEXT_TYPE, b"method not allowed"
    if path == "/ping":
        return 200, TEXT_TYPE, b"pong"
    if path == "/version":
        return 200, TEXT_TYPE, SERVER_VERSION.encode("ascii")
    if path == "/info":
        return 200, JSON_TYPE, _json_bytes(await asyncio.to_thread(device_info, phone, []))
    return 404, TEXT_TYPE, b"not found"


async def serve_connection(phone: PhoneLike, stream: StreamLike) -> None:
    """Serve HTTP requests on one `tcp:9008` stream until either side closes it."""
    parser = RequestParser()
    try:
        while chunk := await stream.read():
            try:
                requests = parser.feed(chunk)
            except HttpError as exc:
                log.warning("bad HTTP request on the uiautomator2 port: %s", exc)
                body = str(exc).encode("utf-8")
                await stream.write(format_response(exc.status, TEXT_TYPE, body, keep_alive=False))
                return
            for req in requests:
                status, ctype, body = await respond(phone, req)
                await stream.write(format_response(status, ctype, body, keep_alive=req.keep_alive))
                if not req.keep_alive:
                    return
    finally:
        await stream.close()
