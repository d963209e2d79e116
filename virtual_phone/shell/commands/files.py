"""File commands over the phone's in-memory file system: ls, cat, rm, mkdir, touch, cp,
mv, md5sum."""

from __future__ import annotations

import hashlib
import posixpath
import stat as statmod
import time

from virtual_phone.shell.context import CommandFunc, Ctx, split_options
from virtual_phone.shell.streams import read_all

NO_SUCH = "No such file or directory"


def mode_string(mode: int) -> str:
    """`drwxr-xr-x` for a numeric mode."""
    return statmod.filemode(mode)


def format_mtime(mtime: int) -> str:
    """`ls -l` style modification time."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(mtime))


def is_dir(mode: int) -> bool:
    """Whether a mode is a directory's."""
    return statmod.S_ISDIR(mode)


def _owner(path: str) -> tuple[str, str]:
    if path.startswith(("/sdcard", "/storage")):
        return "u0_a180", "media_rw"
    if path.startswith("/data/local/tmp"):
        return "shell", "shell"
    return "root", "root"


def _long_line(ctx: Ctx, path: str, name: str) -> str:
    info = ctx.phone.fs.stat(path)
    mode, size, mtime = info if info is not None else (0, 0, 0)
    user, group = _owner(path)
    links = 2 if is_dir(mode) else 1
    size = 3452 if is_dir(mode) else size
    return f"{mode_string(mode)} {links} {user} {group} {size:>8} {format_mtime(mtime)} {name}\n"


def ls(ctx: Ctx) -> int:
    flags, operands = split_options(ctx.args, "laA1dhRtrsSinF")
    fs = ctx.phone.fs
    targets = operands or ["."]
    status = 0
    files: list[tuple[str, str]] = []
    dirs: list[tuple[str, str]] = []
    for operand in targets:
        path = ctx.path(operand)
        info = fs.stat(path)
        if info is None:
            ctx.err(f"ls: {operand}: {NO_SUCH}\n")
            status = 1
        elif is_dir(info[0]) and "d" not in flags:
            dirs.append((operand, path))
        else:
            files.append((operand, path))
    for operand, path in files:
        ctx.out(_long_line(ctx, path, operand) if "l" in flags else operand + "\n")
    for index, (operand, path) in enumerate(dirs):
        if len(targets) > 1:
            ctx.out(("\n" if index or files else "") + f"{operand}:\n")
        _list_dir(ctx, path, flags)
    return status


def _list_dir(ctx: Ctx, path: str, flags: set[str]) -> None:
    names = sorted(ctx.phone.fs.listdir(path))
    if "a" not in flags and "A" not in flags:
        names = [n for n in names if not n.startswith(".")]
    if "a" in flags:
        names = [".", "..", *names]
    if "l" in flags:
        ctx.out(f"total {len(names) * 4}\n")
        for name in names:
            ctx.out(_long_line(ctx, posixpath.join(path, name), name))
    else:
        ctx.out("".join(name + "\n" for name in names))


async def cat(ctx: Ctx) -> int:
    _, operands = split_options(ctx.args, "uvtAe")
    status = 0
    for operand in operands or ["-"]:
        if operand == "-":
            ctx.out(await read_all(ctx.stdin))
            continue
        try:
            ctx.out(ctx.phone.fs.read(ctx.path(operand)))
        except IsADirectoryError:
            ctx.err(f"cat: {operand}: Is a directory\n")
            status = 1
        except OSError:
            ctx.err(f"cat: {operand}: {NO_SUCH}\n")
            status = 1
    return status


def rm(ctx: Ctx) -> int:
    flags, operands = split_options(ctx.args, "rfRiv")
    force = "f" in flags
    recursive = bool({"r", "R"} & flags)
    if not operands and not force:
        raise ctx.fail("Needs 1 argument")
    status = 0
    for operand in operands:
        path = ctx.path(operand)
        info = ctx.phone.fs.stat(path)
        if info is None:
            if not force:
                ctx.err(f"rm: {operand}: {NO_SUCH}\n")
                status = 1
            continue
        if is_dir(info[0]) and not recursive:
            ctx.err(f"rm: {operand}: Is a directory\n")
            status = 1
            continue
        try:
            ctx.phone.fs.remove(path, recursive=recursive)
        except OSError as exc:
            ctx.err(f"rm: {operand}: {exc.strerror or exc}\n")
            status = 1
    return status


def rmdir(ctx: Ctx) -> int:
    status = 0
    for operand in ctx.args:
        path = ctx.path(operand)
        info = ctx.phone.fs.stat(path)
        if info is None or not is_dir(info[0]):
            ctx.err(f"rmdir: {operand}: {NO_SUCH if info is None else 'Not a directory'}\n")
            status = 1
        elif ctx.phone.fs.listdir(path):
            ctx.err(f"rmdir: {operand}: Directory not empty\n")
            status = 1
        else:
            ctx.phone.fs.remove(path)
    return status


def mkdir(ctx: Ctx) -> int:
    args = list(ctx.args)
    if "-m" in args:
        index = args.index("-m")
        del args[index : index + 2]
    flags, operands = split_options(args, "pv")
    if not operands:
        raise ctx.fail("Needs 1 argument")
    status = 0
    fs = ctx.phone.fs
    for operand in operands:
        path = ctx.path(operand)
        info = fs.stat(path)
        if info is not None:
            if "p" not in flags or not is_dir(info[0]):
                ctx.err(f"mkdir: '{operand}': File exists\n")
                status = 1
            continue
        if "p" not in flags and fs.stat(posixpath.dirname(path)) is None:
            ctx.err(f"mkdir: '{operand}': {NO_SUCH}\n")
            status = 1
            continue
        fs.mkdir(path)
    return status


def touch(ctx: Ctx) -> int:
    _, operands = split_options(ctx.args, "acm")
    fs = ctx.phone.fs
    status = 0
    for operand in operands:
        path = ctx.path(operand)
        info = fs.stat(path)
        try:
            if info is None:
                fs.write(path, b"")
            elif not is_dir(info[0]):
                fs.write(path, fs.read(path), info[0], int(time.time()))
        except OSError as exc:
            ctx.err(f"touch: '{operand}': {exc.strerror or exc}\n")
            status = 1
    return status


def cp(ctx: Ctx) -> int:
    return _copy(ctx, move=False)


def mv(ctx: Ctx) -> int:
    return _copy(ctx, move=True)


def _copy(ctx: Ctx, move: bool) -> int:
    _, operands = split_options(ctx.args, "rRfpai")
    if len(operands) < 2:
        raise ctx.fail("Needs 2 arguments")
    fs = ctx.phone.fs
    *sources, dest_operand = operands
    dest = ctx.path(dest_operand)
    dest_info = fs.stat(dest)
    status = 0
    for operand in sources:
        source = ctx.path(operand)
        target = (
            posixpath.join(dest, posixpath.basename(source))
            if (dest_info is not None and is_dir(dest_info[0]))
            else dest
        )
        try:
            info = fs.stat(source)
            if info is None:
                raise FileNotFoundError(NO_SUCH)
            fs.write(target, fs.read(source), info[0])
            if move:
                fs.remove(source)
        except OSError as exc:
            ctx.err(f"{ctx.name}: {operand}: {exc.strerror or exc}\n")
            status = 1
    return status


async def checksum(ctx: Ctx) -> int:
    algorithm = {"md5sum": "md5", "sha1sum": "sha1", "sha256sum": "sha256"}.get(ctx.name, "md5")
    _, operands = split_options(ctx.args, "bc")
    status = 0
    for operand in operands or ["-"]:
        try:
            if operand == "-":
                data = await read_all(ctx.stdin)
            else:
                data = ctx.phone.fs.read(ctx.path(operand))
        except IsADirectoryError:
            ctx.err(f"{ctx.name}: {operand}: Is a directory\n")
            status = 1
            continue
        except OSError:
            ctx.err(f"{ctx.name}: {operand}: {NO_SUCH}\n")
            status = 1
            continue
        ctx.out(f"{hashlib.new(algorithm, data).hexdigest()}  {operand}\n")
    return status


COMMANDS: dict[str, CommandFunc] = {
    "ls": ls,
    "cat": cat,
    "rm": rm,
    "rmdir": rmdir,
    "mkdir": mkdir,
    "touch": touch,
    "cp": cp,
    "mv": mv,
    "md5sum": checksum,
    "sha1sum": checksum,
    "sha256sum": checksum,
}
