"""`VirtualPhoneServer`: one virtual phone served over ADB on a loopback TCP port.

The server runs an asyncio loop on a background thread; blocking phone calls (screenshots)
go to a small worker pool. Connect with `adb connect 127.0.0.1:PORT` or
`uiautomator2.connect("127.0.0.1:PORT")`::

    with VirtualPhoneServer(port=0) as server:
        print(server.serial)
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TYPE_CHECKING

from virtual_phone.errors import StartError

if TYPE_CHECKING:
    from virtual_phone.phone import Phone

log = logging.getLogger(__name__)

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
WORKERS = 4


class VirtualPhoneServer:
    """Serves one phone's adbd on host:port until `stop()`."""

    def __init__(
        self,
        port: int = 0,
        seed: int = 0,
        host: str = "127.0.0.1",
        phone: Phone | None = None,
        size: tuple[int, int] | None = None,
    ) -> None:
        """Serve `phone`, or a new `Phone(seed=seed, size=size)` (`size` in pixels, default
        1080×2400; `ValueError` for a size it cannot simulate)."""
        if phone is None:
            from virtual_phone.phone import Phone

            phone = Phone(seed=seed) if size is None else Phone(seed=seed, size=size)
        elif size is not None and size != phone.screen_size():
            raise ValueError(f"size {size} differs from the given phone's {phone.screen_size()}")
        self.phone = phone
        self.host = host
        self.port = port
        self.seed = seed
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._stopped = False

    @property
    def serial(self) -> str:
        """The adb serial of this phone: "127.0.0.1:PORT"."""
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::", "localhost") else self.host
        return f"{host}:{self.port}"

    def start(self) -> VirtualPhoneServer:
        """Start listening; returns once the port accepts connections."""
        if self._thread is not None:
            return self
        self._executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="virtual-phone-worker")
        self._thread = threading.Thread(
            target=self._run, name=f"virtual-phone-{self.port}", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            self.stop()
            raise StartError(f"the virtual phone did not start within {START_TIMEOUT:.0f} s")
        if self._error is not None:
            self.stop()
            raise StartError(f"cannot serve on {self.host}:{self.port}: {self._error}")
        log.info("virtual phone serving adb on %s", self.serial)
        return self

    def stop(self) -> None:
        """Close all connections and stop the server thread (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        loop, event, thread = self._loop, self._stop_event, self._thread
        if loop is not None and event is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # the loop has just closed
                pass
        if thread is not None and thread is not threading.current_thread():
            thread.join(STOP_TIMEOUT)
            if thread.is_alive():
                log.warning("the virtual phone thread did not stop within %.0f s", STOP_TIMEOUT)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        log.info("virtual phone on %s stopped", self.serial)

    def wait_until_serving(self, timeout: float | None = None) -> bool:
        """Block until the port accepts connections (or start failed); False on timeout."""
        return self._ready.wait(timeout)

    def serve_forever(self) -> None:
        """Start (if needed) and block until `stop()` or Ctrl-C."""
        self.start()
        thread = self._thread
        try:
            while thread is not None and thread.is_alive():
                thread.join(0.5)
        except KeyboardInterrupt:
            log.info("interrupted")
        finally:
            self.stop()

    def __enter__(self) -> VirtualPhoneServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except Exception as exc:
            log.exception("the virtual phone server failed")
            self._error = exc
        finally:
            self._ready.set()

    async def _main(self) -> None:
        from virtual_phone.adb import AdbDaemon
        from virtual_phone.shell import Shell

        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        daemon = AdbDaemon(Shell(self.phone, executor=self._executor))
        try:
            self.port = await daemon.start(self.host, self.port)
        except (OSError, OverflowError, ValueError) as exc:  # bind refused, port out of range
            self._error = exc  # before `_ready`: start() reads it as soon as it wakes
            return
        finally:
            self._ready.set()
        try:
            if not self._stopped:
                await self._stop_event.wait()
        finally:
            await daemon.close()
