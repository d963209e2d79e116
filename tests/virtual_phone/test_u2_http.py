"""HTTP framing of the uiautomator2 server on one `tcp:9008` stream."""

from __future__ import annotations

import asyncio
import io
import itertools
import json
from http.client import HTTPResponse
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from virtual_phone.u2 import serve_connection
from virtual_phone.u2.http import HttpError, RequestParser


class MemoryStream:
    """A StreamLike fed from a list of chunks; records what the server writes."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = list(chunks)
        self.written = bytearray()
        self.closed = False
        self.reads_after_close = 0

    async def read(self) -> bytes:
        if self.closed:
            self.reads_after_close += 1
        return self._chunks.pop(0) if self._chunks else b""

    async def write(self, data: bytes) -> None:
        assert not self.closed, "write after close"
        self.written += data

    async def close(self) -> None:
        self.closed = True

    @property
    def unread(self) -> int:
        return len(self._chunks)


class _Unclosable(io.BytesIO):
    def close(self) -> None:  # HTTPResponse closes its file after each body
        pass


class _Sock:
    def __init__(self, fp: io.BytesIO) -> None:
        self._fp = fp

    def makefile(self, *args: Any, **kwargs: Any) -> io.BytesIO:
        return self._fp


def parse_responses(data: bytes | bytearray) -> list[tuple[int, dict[str, str], bytes]]:
    """Split a byte string into HTTP responses with the standard library's parser."""
    fp = _Unclosable(bytes(data))
    out = []
    while fp.tell() < len(data):
        resp = HTTPResponse(_Sock(fp))  # type: ignore[arg-type]
        resp.begin()
        out.append((resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()))
    return out


def http_request(method: str, path: str, body: bytes = b"", *, close: bool = False) -> bytes:
    """A request as http.client writes it for uiautomator2."""
    head = [
        f"{method} {path} HTTP/1.1",
        "Host: localhost:9008",
        "Accept-Encoding: ",
        "User-Agent: uiautomator2",
        "Content-Type: application/json",
    ]
    if body or method == "POST":
        head.append(f"Content-Length: {len(body)}")
    if close:
        head.append("Connection: close")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def rpc_request(method: str, params: Any = (), req_id: int = 1, **kw: Any) -> bytes:
    payload = {"jsonrpc": "2.0", "id": req_id, "method": method, "params": list(params) or {}}
    return http_request("POST", "/jsonrpc/0", json.dumps(payload).encode(), **kw)


def serve(phone: Any, chunks: list[bytes]) -> tuple[MemoryStream, list[Any]]:
    stream = MemoryStream(chunks)
    asyncio.run(serve_connection(phone, stream))
    return stream, parse_responses(stream.written)


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points) if b > a]


# -- the parser alone --------------------------------------------------------------


def test_parser_waits_for_the_whole_body() -> None:
    raw = rpc_request("deviceInfo")
    parser = RequestParser()
    assert parser.feed(raw[:-1]) == []
    assert parser.pending == len(raw) - 1
    (req,) = parser.feed(raw[-1:])
    assert req.method == "POST"
    assert req.path == "/jsonrpc/0"
    assert json.loads(req.body)["method"] == "deviceInfo"
    assert parser.pending == 0


def test_parser_returns_pipelined_requests_in_order() -> None:
    raw = rpc_request("a", req_id=1) + http_request("GET", "/ping") + rpc_request("b", req_id=2)
    reqs = RequestParser().feed(raw)
    assert [r.path for r in reqs] == ["/jsonrpc/0", "/ping", "/jsonrpc/0"]
    assert [json.loads(r.body)["id"] for r in reqs if r.body] == [1, 2]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /ping SPDY/3\r\n\r\n", 400),
        (b"POST /jsonrpc/0 HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
        (b"POST /jsonrpc/0 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
        (b"GET /ping HTTP/1.1\r\nNoColonHere\r\n\r\n", 400),
    ],
)
def test_parser_rejects_malformed_requests(raw: bytes, status: int) -> None:
    with pytest.raises(HttpError) as info:
        RequestParser().feed(raw)
    assert info.value.status == status


def test_keep_alive_follows_the_http_version() -> None:
    (r11,) = RequestParser().feed(b"GET /ping HTTP/1.1\r\n\r\n")
    (r10,) = RequestParser().feed(b"GET /ping HTTP/1.0\r\n\r\n")
    (r10k,) = RequestParser().feed(b"GET /ping HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
    (r11c,) = RequestParser().feed(b"GET /ping HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert (r11.keep_alive, r10.keep_alive, r10k.keep_alive, r11c.keep_alive) == (
        True,
        False,
        True,
        False,
    )


# -- serve_connection ------------------------------------------------------------


def test_ping_and_version_without_touching_the_phone() -> None:
    stream, resps = serve(
        object(), [http_request("GET", "/ping") + http_request("GET", "/version")]
    )
    assert (resps[0][0], resps[0][2]) == (200, b"pong")
    assert resps[1][0] == 200
    assert resps[1][2].count(b".") == 2
    assert stream.closed


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=12))
def test_request_split_at_arbitrary_points(cuts: list[int]) -> None:
    raw = http_request("GET", "/ping") + rpc_request("noSuchMethod", req_id=7)
    stream, resps = serve(object(), split(raw, cuts))
    assert len(resps) == 2
    assert resps[0][2] == b"pong"
    status, headers, body = resps[1]
    assert status == 200
    assert int(headers["content-length"]) == len(body)
    assert json.loads(body) == {
        "jsonrpc": "2.0",
        "id": 7,
        "error": {"code": -32601, "message": "Method not found", "data": "noSuchMethod"},
    }
    assert stream.closed


def test_connection_close_ends_the_stream_after_the_reply() -> None:
    raw = http_request("GET", "/ping", close=True) + http_request("GET", "/ping")
    stream, resps = serve(object(), [raw, http_request("GET", "/ping")])
    assert len(resps) == 1
    assert resps[0][1]["connection"] == "close"
    assert stream.closed
    assert stream.unread == 1  # the server stopped reading


def test_host_closing_mid_request_gets_no_reply() -> None:
    stream, resps = serve(object(), [rpc_request("deviceInfo")[:30]])
    assert resps == []
    assert stream.closed


def test_malformed_request_is_answered_400_and_closed() -> None:
    stream, resps = serve(object(), [b"HELLO\r\n\r\n", http_request("GET", "/ping")])
    assert [r[0] for r in resps] == [400]
    assert stream.closed


def test_unknown_path_is_404_but_rpc_errors_are_200() -> None:
    bad_json = http_request("POST", "/jsonrpc/0", b"{not json")
    _, resps = serve(object(), [http_request("GET", "/nothing") + bad_json])
    assert resps[0][0] == 404
    assert resps[1][0] == 200
    assert json.loads(resps[1][2])["error"]["code"] == -32700


def test_a_fault_inside_an_rpc_is_a_200_error_and_serving_goes_on() -> None:
    broken_phone = object()  # has none of the phone's methods: deviceInfo raises inside
    raw = rpc_request("deviceInfo", req_id=3) + http_request("GET", "/ping")
    _, resps = serve(broken_phone, [raw])
    status, _, body = resps[0]
    assert status == 200
    error = json.loads(body)["error"]
    assert error["code"] == -32001
    assert error["message"] == "java.lang.RuntimeException"
    assert "AttributeError" in error["data"]["message"]
    assert resps[1][2] == b"pong"


def test_deeply_nested_json_is_a_parse_error_and_serving_goes_on() -> None:
    nested = http_request("POST", "/jsonrpc/0", b"[" * 100_000 + b"]" * 100_000)
    _, resps = serve(object(), [nested + http_request("GET", "/ping")])
    assert [r[0] for r in resps] == [200, 200]
    assert json.loads(resps[0][2])["error"]["code"] == -32700
    assert resps[1][2] == b"pong"
