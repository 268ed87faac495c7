"""Folder operations for the atomic publish: exchange two folders at once, clone one by hard links.

`exchange(a, b)` swaps two folders in one step where the system can (Linux's renameat2 with
RENAME_EXCHANGE, macOS's renamex_np with RENAME_SWAP): there is no instant at which either path is
missing or holds a mix. Elsewhere (or on a file system that refuses it) it falls back to three
renames, where `b` is missing for the instant between two of them but never holds a mix.
`clone_tree` makes a copy of a folder whose files are hard links to the original's (a copy where
hard links are refused), so a clone costs folders and links, not bytes.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

__all__ = ["clone_tree", "exchange", "link_or_copy", "recover", "remove_file"]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux <linux/fs.h>
_RENAME_SWAP = 2  # macOS <stdio.h>
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM}


def _system_exchange(a: bytes, b: bytes) -> bool:
    """Ask the system to swap a and b in one step; False when it cannot."""
    import ctypes  # not for a build with nothing to do

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    if sys.platform.startswith("linux"):
        call = getattr(libc, "renameat2", None)
        args: tuple[object, ...] = (_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    elif sys.platform == "darwin":
        call = getattr(libc, "renamex_np", None)
        args = (a, b, _RENAME_SWAP)
    else:
        return False
    if call is None:
        return False
    if call(*args) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), os.fsdecode(a), None, os.fsdecode(b))


def exchange(a: Path, b: Path) -> None:
    """Swap the folders a and b (both must exist, on one file system)."""
    if _system_exchange(os.fsencode(a), os.fsencode(b)):
        return
    middle = _middle(b)
    if middle.exists():
        shutil.rmtree(middle)
    os.replace(b, middle)
    os.replace(a, b)
    os.replace(middle, a)


def _middle(b: Path) -> Path:
    return b.with_name(b.name + ".briefgen-swap")


def recover(b: Path) -> None:
    """Finish what an exchange by three renames left when it was stopped: put b back if it
    is missing, and remove the folder in the middle."""
    middle = _middle(b)
    if not middle.exists():
        return
    if not b.exists():
        os.replace(middle, b)
    else:
        shutil.rmtree(middle)


def link_or_copy(source: str, target: str) -> None:
    """Make target the same file as source (a hard link, else a copy keeping its times),
    replacing whatever target was, in one rename."""
    temporary = target + ".briefgen-tmp"
    try:
        os.link(source, temporary)
    except FileExistsError:
        os.unlink(temporary)
        os.link(source, temporary)
    except OSError:
        shutil.copy2(source, temporary)
    os.replace(temporary, target)


def remove_file(folder: Path, rel: str) -> None:
    """Delete folder/rel if it is there, and every folder it leaves empty (never folder itself)."""
    path = folder / rel
    path.unlink(missing_ok=True)
    parent = path.parent
    while parent != folder and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def clone_tree(source: Path, target: Path) -> None:
    """Make target (which must not exist) a copy of source whose files are hard links."""
    try:
        shutil.copytree(source, target, symlinks=True, copy_function=os.link)
    except (shutil.Error, OSError):  # a file system without hard links: copy the bytes
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)
