"""Several virtual phones, and a queue of tasks spread over them.

Each phone is served in this process and driven through adb and uiautomator2 like any
phone; each has one worker thread that takes the next task from a shared queue, so a slow
task holds up only its own phone. Call inside `bench.common.private_adb_server()`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TypeVar

from mobile_agent.bench.harness.execute import Slot

log = logging.getLogger(__name__)

Item = TypeVar("Item")
Result = TypeVar("Result")


@contextmanager
def virtual_phones(count: int, seed: int) -> Iterator[list[Slot]]:
    """`count` virtual phones of `seed`, each connected through adb; stopped afterwards."""
    from mobile_agent.device import connect
    from mobile_agent.device.transport import adb_disconnect
    from virtual_phone.server import VirtualPhoneServer

    if count < 1:
        raise ValueError("at least one phone")
    with ExitStack() as stack:
        slots = []
        for index in range(count):
            server = VirtualPhoneServer(port=0, seed=seed).start()
            stack.callback(server.stop)
            stack.callback(adb_disconnect, server.serial)
            device = connect(server.serial)
            stack.callback(device.close)
            slots.append(Slot(server.phone, device, f"phone {index + 1}"))
        yield slots


def spread(
    items: Sequence[Item],
    slots: Sequence[Slot],
    work: Callable[[Item, Slot], Result],
    done: Callable[[Result], None] = lambda _result: None,
    stop: threading.Event | None = None,
) -> list[Result]:
    """Run `work(item, slot)` for every item, one item at a time per slot, all slots at
    once; `done` hears each result as it comes (on the worker's thread, one at a time).
    Results come back in the items' order. A set `stop` ends each worker after its
    current item; the items not started are left out."""
    pending: queue.Queue[tuple[int, Item]] = queue.Queue()
    for pair in enumerate(items):
        pending.put(pair)
    results: dict[int, Result] = {}
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker(slot: Slot) -> None:
        while not (stop is not None and stop.is_set()) and not errors:
            try:
                index, item = pending.get_nowait()
            except queue.Empty:
                return
            try:
                result = work(item, slot)
            except BaseException as exc:  # reraised on the calling thread below
                errors.append(exc)
                return
            with lock:
                results[index] = result
                done(result)

    threads = [
        threading.Thread(target=worker, args=(slot,), name=f"bench-{slot.name}", daemon=True)
        for slot in slots
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [results[i] for i in sorted(results)]
