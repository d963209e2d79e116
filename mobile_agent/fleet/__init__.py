"""Many devices: a batch of tasks run over several phones at once (`mobile-agent batch`).

batch = Batch(load_tasks(path), serials, open_device, run_task)
results = batch.run()        # one `TaskResult` per task, in file order
"""

from __future__ import annotations

from mobile_agent.fleet.board import Board, DeviceRow
from mobile_agent.fleet.queue import TaskQueue
from mobile_agent.fleet.tasks import BatchTask, TaskFileError, load_tasks, parse_tasks
from mobile_agent.fleet.workers import NOT_RUN, Batch, TaskResult, TaskWatch

__all__ = [
    "NOT_RUN",
    "Batch",
    "BatchTask",
    "Board",
    "DeviceRow",
    "TaskFileError",
    "TaskQueue",
    "TaskResult",
    "TaskWatch",
    "load_tasks",
    "parse_tasks",
]
