"""No network for the process that runs SPARQL: the engine-level half of the SERVICE guard.

pyoxigraph evaluates ``SERVICE <http://…>`` by opening an HTTP connection itself, and its Python API has
no hook to refuse one.  The endpoint reads every query first (:mod:`.sparqlscan`), but a reader of text can
be wrong; so the query worker also installs a seccomp filter before it opens the store: from then on no
thread of the process can create a socket other than ``AF_UNIX`` (the pipe to the server) or set up
io_uring.  A SERVICE call that got past the reading fails inside the engine with ``EACCES``, before any
packet leaves — the connection is never made, whatever the query text says.

Linux only (x86-64 and AArch64); elsewhere :func:`forbid_network` returns ``False`` and the caller says so.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct

# seccomp(2) / filter(2) constants (linux/seccomp.h, linux/filter.h, linux/audit.h)
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_X32_BIT = 0x40000000

#: machine → (AUDIT_ARCH_*, __NR_seccomp, __NR_socket, __NR_io_uring_setup)
_ARCH = {
    "x86_64": (0xC000003E, 317, 41, 425),
    "aarch64": (0xC00000B7, 277, 198, 425),
}


def _program(arch: int, nr_socket: int, nr_io_uring: int, check_x32: bool) -> list[tuple[int, int, int, int]]:
    deny = (_RET_K, 0, 0, _RET_ERRNO | errno.EACCES)
    allow = (_RET_K, 0, 0, _RET_ALLOW)
    # (code, jump-if-true label, jump-if-false label, k); labels resolved below to relative offsets
    body = [
        ("ld", _LD_W_ABS, None, None, 4),               # A = seccomp_data.arch
        ("j", _JEQ_K, "nr", "deny", arch),              # another ABI (i386 int 0x80): nothing allowed
        ("nr", _LD_W_ABS, None, None, 0),               # A = seccomp_data.nr
    ]
    if check_x32:
        body.append(("x32", _JGE_K, "deny", None, _X32_BIT))
    body += [
        ("uring", _JEQ_K, "deny", None, nr_io_uring),
        ("sock", _JEQ_K, None, "allow", nr_socket),
        ("dom", _LD_W_ABS, None, None, 16),             # A = low 32 bits of args[0], the address family
        ("unix", _JEQ_K, "allow", "deny", socket.AF_UNIX),
        ("deny",) + deny,
        ("allow",) + allow,
    ]
    at = {row[0]: i for i, row in enumerate(body)}
    out = []
    for i, (_, code, jt, jf, k) in enumerate(body):
        if code in (_JEQ_K, _JGE_K):
            out.append((code, 0 if jt is None else at[jt] - i - 1, 0 if jf is None else at[jf] - i - 1, k))
        else:
            out.append((code, 0, 0, k))
    return out


def forbid_network() -> bool:
    """Install the filter for every thread of this process (for good).  ``True`` when it is in force."""
    if os.name != "posix" or platform.system() != "Linux":
        return False
    spec = _ARCH.get(platform.machine())
    if spec is None:
        return False
    arch, nr_seccomp, nr_socket, nr_io_uring = spec
    prog = _program(arch, nr_socket, nr_io_uring, check_x32=platform.machine() == "x86_64")
    raw = b"".join(struct.pack("=HBBI", *ins) for ins in prog)
    buf = ctypes.create_string_buffer(raw, len(raw))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(prog), ctypes.cast(buf, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    rc = libc.syscall(ctypes.c_long(nr_seccomp), ctypes.c_ulong(_SECCOMP_SET_MODE_FILTER),
                      ctypes.c_ulong(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(fprog))
    return rc == 0


def network_forbidden() -> bool:
    """Is the filter (or anything like it) in force here?  Tries to make an IPv4 socket."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False
