"""A small in-memory file system for the virtual phone (FileSystemLike)."""

from __future__ import annotations

import posixpath
import stat as stat_mod
import threading
import time
from dataclasses import dataclass, field

DIR_MODE = 0o040755
FILE_MODE = 0o100644

_DIRS = (
    "/sdcard",
    "/sdcard/Download",
    "/sdcard/DCIM",
    "/sdcard/DCIM/Camera",
    "/sdcard/Pictures",
    "/sdcard/Music",
    "/sdcard/Movies",
    "/sdcard/Documents",
    "/sdcard/Android",
    "/storage",
    "/storage/emulated",
    "/storage/emulated/0",
    "/data",
    "/data/local",
    "/data/local/tmp",
    "/system",
    "/system/bin",
    "/system/app",
    "/system/priv-app",
    "/vendor",
    "/proc",
    "/dev",
    "/etc",
    "/cache",
    "/mnt",
    "/odm",
)
_BINARIES = (
    "sh",
    "toybox",
    "ls",
    "cat",
    "echo",
    "input",
    "am",
    "pm",
    "dumpsys",
    "getprop",
    "settings",
    "screencap",
    "uiautomator",
    "monkey",
    "wm",
    "svc",
    "ime",
    "logcat",
    "md5sum",
    "app_process",
    "cmd",
    "ps",
    "rm",
    "mkdir",
    "ifconfig",
)


@dataclass
class _Node:
    mode: int
    mtime: int
    data: bytes = b""
    children: dict[str, _Node] = field(default_factory=dict)

    @property
    def is_dir(self) -> bool:
        return stat_mod.S_ISDIR(self.mode)


def _parts(path: str) -> list[str]:
    norm = posixpath.normpath("/" + path.strip().lstrip("/"))
    if norm.startswith("/storage/emulated/0"):
        norm = "/sdcard" + norm[len("/storage/emulated/0") :]
    elif norm.startswith("/storage/self/primary"):
        norm = "/sdcard" + norm[len("/storage/self/primary") :]
    return [p for p in norm.split("/") if p]


class FileSystem:
    """In-memory directories and files; paths under /storage/emulated/0 alias /sdcard."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        now = int(time.time())
        self._root = _Node(DIR_MODE, now)
        for path in _DIRS:
            self.mkdir(path)
        for name in _BINARIES:
            self.write(f"/system/bin/{name}", b"\x7fELF", mode=0o100755, mtime=now)
        self.write("/system/build.prop", b"ro.product.model=Pixel 7\nro.build.version.release=14\n")
        self.write("/sdcard/Download/readme.txt", b"Files downloaded on this phone appear here.\n")

    def _find(self, path: str) -> _Node | None:
        node = self._root
        for part in _parts(path):
            if not node.is_dir or part not in node.children:
                return None
            node = node.children[part]
        return node

    def _parent(self, path: str, create: bool) -> tuple[_Node, str]:
        parts = _parts(path)
        if not parts:
            raise IsADirectoryError(path)
        node = self._root
        for part in parts[:-1]:
            child = node.children.get(part)
            if child is None:
                if not create:
                    raise FileNotFoundError(path)
                child = node.children[part] = _Node(DIR_MODE, int(time.time()))
            if not child.is_dir:
                raise NotADirectoryError(path)
            node = child
        return node, parts[-1]

    def read(self, path: str) -> bytes:
        """File contents; FileNotFoundError / IsADirectoryError."""
        with self._lock:
            node = self._find(path)
            if node is None:
                raise FileNotFoundError(path)
            if node.is_dir:
                raise IsADirectoryError(path)
            return node.data

    def write(
        self, path: str, data: bytes, mode: int = FILE_MODE, mtime: int | None = None
    ) -> None:
        """Create or replace a file, creating parent directories as needed."""
        with self._lock:
            parent, name = self._parent(path, create=True)
            existing = parent.children.get(name)
            if existing is not None and existing.is_dir:
                raise IsADirectoryError(path)
            file_mode = mode if stat_mod.S_ISREG(mode) else stat_mod.S_IFREG | (mode & 0o7777)
            parent.children[name] = _Node(
                file_mode, int(time.time()) if mtime is None else mtime, bytes(data)
            )

    def stat(self, path: str) -> tuple[int, int, int] | None:
        """(mode, size, mtime) or None when absent."""
        with self._lock:
            node = self._find(path)
            if node is None:
                return None
            return (node.mode, 4096 if node.is_dir else len(node.data), node.mtime)

    def listdir(self, path: str) -> list[str]:
        """Sorted entry names; FileNotFoundError / NotADirectoryError."""
        with self._lock:
            node = self._find(path)
            if node is None:
                raise FileNotFoundError(path)
            if not node.is_dir:
                raise NotADirectoryError(path)
            return sorted(node.children)

    def remove(self, path: str, recursive: bool = False) -> None:
        """Delete a file (or a directory: empty, or any with `recursive`)."""
        with self._lock:
            node = self._find(path)
            if node is None:
                raise FileNotFoundError(path)
            if node.is_dir and node.children and not recursive:
                raise OSError(f"{path}: Directory not empty")
            parent, name = self._parent(path, create=False)
            del parent.children[name]

    def mkdir(self, path: str) -> None:
        """Create a directory and its parents (like `mkdir -p`)."""
        with self._lock:
            node = self._root
            for part in _parts(path):
                child = node.children.get(part)
                if child is None:
                    child = node.children[part] = _Node(DIR_MODE, int(time.time()))
                elif not child.is_dir:
                    raise NotADirectoryError(path)
                node = child
