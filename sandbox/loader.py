"""The supervisor that runs inside each sandbox container (standard library only).

Three kinds of process share the container:

- the **supervisor** (this program's first process) announces itself with `READY` and a fresh
  random key, reads one framed request from stdin (code, inputs, limits), runs the tests one by
  one, enforces the wall-clock limit and the output caps, kills whatever a test left behind,
  empties the scratch space, and finally writes one response followed by a trailer carrying an
  HMAC of the response under that key;
- the **spawner**, forked from the supervisor before the key exists and before a byte of the
  request was read. It receives only the program's code and its limits, compiles the code once,
  and forks one child per test on the supervisor's command, handing it the pipes the supervisor
  made for that test. It never holds an input, the nonce or the key;
- one **child** per test: a fork of the spawner with a fresh `__main__` and its own pipes. Its
  memory is a copy of the spawner's, so nothing of the request except its own input (read from
  its stdin like any program) can be reached from it: not through frames, not through the
  garbage collector, not by reading its own memory.

A program can reach the container's stdout (through /proc/1/fd/1 of the init process), so it
could print something that looks like a response. It cannot sign one: the key and the nonce only
exist in the supervisor, which is not dumpable (its memory and descriptors are closed to the
program). The host also enforces its own deadline and byte cap.

Request: 8-byte big-endian length, then JSON {nonce, code, inputs, time_s, memory_bytes,
stdout_limit, stderr_limit, total_limit, calls}. With `calls` true each input is a script of
calls (see `_run_calls`): the child runs the program as the module `solution`, makes the calls
and writes what each returned or raised to RESULT_FD; expected values never come here.
Response body: 16 hex digits giving the length of a JSON header, the header {tests: [...]} or
{syntax_error}, then the raw bytes of each test's stdout, stderr, error text and call results, whose
lengths the header gives (-1 for none). Then TRAILER_MAGIC + nonce (32 hex) + body length (16 hex) +
HMAC-SHA256(key, nonce + body) (64 hex) + newline.
"""

from __future__ import annotations

import builtins
import contextlib
import ctypes
import gc
import hashlib
import hmac
import json
import linecache
import math
import os
import resource
import select
import selectors
import signal
import socket
import sys
import time
import traceback
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

READY = b"CODESTREAK-SANDBOX-READY:"
KEY_SIZE = 32
BANNER_SIZE = len(READY) + KEY_SIZE + 1
TRAILER_MAGIC = b"\nCODESTREAK-RESPONSE:"
TRAILER_SIZE = len(TRAILER_MAGIC) + 32 + 16 + 64 + 1
HEADER_DIGITS = 16
#: the raw parts of each test in a response body, in this order
BLOB_FIELDS = ("stdout", "stderr", "error", "results")
FILENAME = "solution.py"
ERROR_LIMIT = 16 * 1024
REPORT_FD = 3
#: where a call test's child writes the results of its calls
RESULT_FD = 4
#: the module name a call test's program runs under (its `if __name__ == "__main__"` stays out)
CALL_MODULE = "solution"
#: characters of a returned value's repr or an exception's message kept per call
SHOWN_LIMIT = 2000
EXIT_INTERNAL_ERROR = 70
MAX_REQUEST_BYTES = 512 * 1024 * 1024
SCRATCH_DIRS = ("/tmp", "/dev/shm", "/dev/mqueue")
KILL_BUDGET_S = 2.0
#: what the spawner's replies may take beyond the test's own time before it counts as stopped
SPAWNER_SLACK_S = 5.0
#: the supervisor's message when a program stopped the machinery of its own submission
STOPPED_SUPERVISION = "the program stopped the sandbox's supervisor"

_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
_IPC_RMID = 0
_SEM_INFO = 19
_IPC_INFO = {"shm": 14, "msg": 12}  # SHM_INFO, MSG_INFO
#: every signal a program could send the supervisor or the spawner to stop them: blocked there
#: (what is left pending is discarded between tests), unblocked in children
_BLOCKED_SIGNALS = signal.valid_signals()
_LIBC = ctypes.CDLL(None, use_errno=True)


class SupervisionLost(Exception):
    """The program broke what supervises it (killed or stopped the spawner, or left the
    container in a state that cannot be cleaned): its own failure, never the grader's."""


def _prctl(option: int, value: int) -> None:
    """Call prctl(2); failures are ignored because each use is a hardening extra."""
    _LIBC.prctl(option, value, 0, 0, 0)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd`."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read_exact(fd: int, size: int) -> bytes:
    """Read exactly `size` bytes from `fd` or fail on end of file."""
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("request ended early")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def frame_request(message: dict[str, Any]) -> bytes:
    """Frame a message as the requests are framed: 8-byte big-endian length, then JSON."""
    body = json.dumps(message).encode("utf-8")
    return len(body).to_bytes(8, "big") + body


def read_request(fd: int = 0) -> dict[str, Any]:
    """Read one length-prefixed JSON request."""
    size = int.from_bytes(_read_exact(fd, 8), "big")
    if size > MAX_REQUEST_BYTES:
        raise ValueError(f"request of {size} bytes is too large")
    request: dict[str, Any] = json.loads(_read_exact(fd, size))
    return request


def sign(key: bytes | bytearray, nonce: str, body: bytes | bytearray | memoryview) -> str:
    """HMAC-SHA256 of a response body bound to the request's nonce, as hex (the body is
    hashed where it lies, never copied)."""
    mac = hmac.new(key, nonce.encode("ascii"), hashlib.sha256)
    mac.update(body)
    return mac.hexdigest()


def _split_blobs(payload: dict[str, Any]) -> tuple[dict[str, Any], list[bytes]]:
    """Move each test's output and error text out of the payload into raw byte strings."""
    tests: list[dict[str, Any]] = []
    blobs: list[bytes] = []
    for test in payload.get("tests", ()):
        head = {name: value for name, value in test.items() if name not in BLOB_FIELDS}
        sizes = []
        for name in BLOB_FIELDS:
            value = test.get(name)
            if value is None:
                sizes.append(-1)
                continue
            data = value.encode("utf-8", "backslashreplace") if isinstance(value, str) else value
            sizes.append(len(data))
            blobs.append(bytes(data))
        head["blobs"] = sizes
        tests.append(head)
    header = {name: value for name, value in payload.items() if name != "tests"}
    header["tests"] = tests
    return header, blobs


def frame_response(payload: dict[str, Any], nonce: str, key: bytes | bytearray) -> bytes:
    """Serialize the response payload and append the signed trailer the host verifies.

    Each test's `stdout`, `stderr` (bytes) and `error` (text or None) travel as raw bytes
    after a small JSON header, so the host never decodes megabytes of JSON.
    """
    header, blobs = _split_blobs(payload)
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    body = b"".join([b"%0*x" % (HEADER_DIGITS, len(head)), head, *blobs])
    trailer = b"".join(
        [
            TRAILER_MAGIC,
            nonce.encode("ascii"),
            b"%016x" % len(body),
            sign(key, nonce, body).encode("ascii"),
            b"\n",
        ]
    )
    return body + trailer


def _strip_loader_frames(exc: traceback.TracebackException, seen: set[int]) -> None:
    """Remove this file's frames from a traceback and from its chained exceptions."""
    if id(exc) in seen:
        return
    seen.add(id(exc))
    exc.stack = traceback.StackSummary.from_list(
        [frame for frame in exc.stack if frame.filename != __file__]
    )
    for chained in (exc.__cause__, exc.__context__, *(exc.exceptions or ())):
        if chained is not None:
            _strip_loader_frames(chained, seen)


def format_user_traceback(error: BaseException) -> str:
    """Format `error` the way Python would, without the supervisor's own frames."""
    summary = traceback.TracebackException.from_exception(error)
    _strip_loader_frames(summary, set())
    return "".join(summary.format())


def _exit_status(error: SystemExit) -> int:
    """Turn a SystemExit into a process status exactly like the interpreter does."""
    code = error.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    with contextlib.suppress(Exception):
        print(code, file=sys.stderr)
    return 1


def _report(text: str) -> None:
    """Send the child's error report to the supervisor through REPORT_FD."""
    with contextlib.suppress(OSError):
        _write_all(REPORT_FD, text.encode("utf-8", "backslashreplace")[:ERROR_LIMIT])


def _join_threads() -> None:
    """Wait for non-daemon threads as the interpreter does at exit.

    Only a program that imported threading can have any; the supervisor does not import it,
    because its at-fork hook would run in every child and make each test's fork slower.
    """
    threading = sys.modules.get("threading")
    if threading is None:
        return
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()


def _flush_stdio(status: int) -> int:
    """Flush stdout and stderr; a failing stdout flush turns status 0 into 120 like Python."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except BaseException:
            if stream is sys.stdout and status == 0:
                status = 120
    return status


def _guarded(body: Callable[[], None]) -> int:
    """Run `body` (the program, or its calls) and return the exit status Python would give:
    a traceback without the supervisor's frames for an uncaught exception."""
    try:
        body()
        _join_threads()
        status = 0
    except SystemExit as error:
        status = _exit_status(error)
    except BaseException as error:
        _report(type(error).__name__)
        try:
            text = format_user_traceback(error)
        except BaseException:
            text = f"{type(error).__name__}\n"
        _report("\n" + text)
        with contextlib.suppress(BaseException):
            sys.stderr.write(text)
        status = 1
    return _flush_stdio(status)


def _fresh_module(name: str) -> types.ModuleType:
    """An empty module named `name` for the program, registered in sys.modules."""
    module = types.ModuleType(name)
    module.__file__ = FILENAME
    module.__dict__["__builtins__"] = builtins
    sys.modules[name] = module
    return module


def _run_user_code(code: types.CodeType) -> int:
    """Execute the compiled program as `__main__` and return its exit status."""
    module = _fresh_module("__main__")
    return _guarded(lambda: exec(code, module.__dict__))


def _read_script() -> dict[str, Any]:
    """Read the whole test script from stdin, then leave the program an empty stdin."""
    data = bytearray()
    while chunk := os.read(0, 65536):
        data += chunk
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    script: dict[str, Any] = json.loads(data)
    return script


def _run_calls(code: types.CodeType) -> int:
    """Run the program as the module `solution`, then the calls of the script on stdin, and
    write their results to RESULT_FD as JSON (one entry per step)."""
    script = _read_script()
    module = _fresh_module(CALL_MODULE)

    def body() -> None:
        exec(code, module.__dict__)
        name = str(script["entry"])
        if name not in module.__dict__:
            raise NameError(f"the program defines no {name!r}, which the tests call")
        results = _call_steps(module.__dict__[name], script["steps"], module.__dict__)
        _write_all(RESULT_FD, json.dumps(results, allow_nan=False).encode("utf-8"))

    return _guarded(body)


def _take(iterable: Any, count: int) -> list[Any]:
    """The first `count` items of `iterable`."""
    iterator = iter(iterable)
    return [next(iterator) for _ in range(count)]


def _with(manager: Any, error: str | None = None, message: str = "") -> Any:
    """Enter and leave `manager`; inside, raise the built-in exception named `error`."""
    with manager as bound:
        if error is not None:
            raise getattr(builtins, error)(message)
    return bound


#: what a step's `apply` does with the current object and its arguments
APPLY: dict[str, Callable[..., Any]] = {
    "repr": repr,
    "str": str,
    "len": len,
    "abs": abs,
    "bool": bool,
    "hash": hash,
    "list": list,
    "sorted": sorted,
    "next": next,
    "take": _take,
    "with": _with,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "add": lambda a, b: a + b,
    "contains": lambda a, b: b in a,
    "getitem": lambda a, b: a[b],
    "getattr": getattr,
    "call": lambda function, *args, **kwargs: function(*args, **kwargs),
    "pipe": lambda value, function: function(value),
}


#: the keys of the arguments that are not plain JSON: an earlier step's value, a function
STEP_REF = "$step"
LAMBDA = "$lambda"


def _argument(value: Any, values: list[Any], namespace: dict[str, Any]) -> Any:
    """One argument: a JSON value, `{"$step": i}` for step i's value, or `{"$lambda": src}`
    for a function the task wrote (run in the program's namespace)."""
    if isinstance(value, dict) and len(value) == 1:
        if STEP_REF in value:
            return values[int(value[STEP_REF])]
        if LAMBDA in value:
            return eval("lambda " + str(value[LAMBDA]), namespace)
    return value


def _perform(
    entry: Any, current: Any, step: dict[str, Any], values: list[Any], namespace: dict[str, Any]
) -> Any:
    """Do one step: call the entry, a method of the current object, or an `apply` on it."""
    args = [_argument(value, values, namespace) for value in step.get("args", ())]
    kwargs = {
        str(key): _argument(value, values, namespace)
        for key, value in step.get("kwargs", {}).items()
    }
    if "on" in step:
        current = values[int(step["on"])]
    if "method" in step:
        return getattr(current, str(step["method"]))(*args, **kwargs)
    if "apply" in step:
        return APPLY[str(step["apply"])](current, *args, **kwargs)
    return entry(*args, **kwargs)


def _call_steps(
    entry: Any, steps: list[dict[str, Any]], namespace: dict[str, Any]
) -> list[dict[str, Any]]:
    """Make every step's call and describe what it returned or raised; a `call` step's value
    becomes the object later steps act on."""
    results: list[dict[str, Any]] = []
    values: list[Any] = []
    current: Any = None
    for step in steps:
        try:
            value = _perform(entry, current, step, values, namespace)
        except BaseException as error:  # SystemExit too: the call raised it
            values.append(None)
            results.append(_raised(error))
            continue
        values.append(value)
        if "method" not in step and "apply" not in step:
            current = value
        results.append(_returned(value))
    return results


def _safe_text(make: Callable[[], str]) -> str:
    """`make()` clipped to SHOWN_LIMIT, or a placeholder when it fails."""
    try:
        text = make()
        if not isinstance(text, str):
            raise TypeError("not a string")
    except BaseException:
        return "<unprintable>"
    return text if len(text) <= SHOWN_LIMIT else text[: SHOWN_LIMIT - 1] + "…"


def _returned(value: Any) -> dict[str, Any]:
    """A returned value: its repr and type, and the value itself when it is plain JSON data,
    copied now, so that later steps changing the object do not change what this one returned."""
    result = {"repr": _safe_text(lambda: repr(value)), "type": type(value).__name__}
    if _plain(value):
        result["value"] = json.loads(json.dumps(value, allow_nan=False))
    return result


def _raised(error: BaseException) -> dict[str, Any]:
    """A raised exception: the names of its classes (most derived first) and its message."""
    return {
        "raised": [cls.__name__ for cls in type(error).__mro__],
        "message": _safe_text(lambda: str(error)),
    }


_SCALARS = (type(None), bool, int, str)
#: the most items (at any depth) and the deepest nesting of a value sent as JSON
PLAIN_ITEMS = 100_000
PLAIN_DEPTH = 20


def _plain(value: Any) -> bool:
    """Tell whether `value` is JSON data exactly (tuples count as lists; no subclasses, no
    NaN, string keys only) and small enough to send: PLAIN_ITEMS items at most, however
    often they are shared."""
    pending = [(value, 0)]
    budget = PLAIN_ITEMS
    while pending:
        item, depth = pending.pop()
        kind = type(item)
        if kind is float:
            if not math.isfinite(item):
                return False
        elif kind is str:
            if len(item) > SHOWN_LIMIT * 50:
                return False
        elif kind in (list, tuple, dict):
            budget -= len(item)
            if budget < 0 or depth >= PLAIN_DEPTH:
                return False
            if kind is dict:
                if any(type(key) is not str for key in item):
                    return False
                item = item.values()
            pending.extend((inner, depth + 1) for inner in item)
        elif kind not in _SCALARS:
            return False
    return True


def _standard_streams() -> tuple[TextIO, TextIO, TextIO]:
    """Unused text streams on descriptors 0, 1 and 2, made once by the supervisor: each child
    gets fresh copies of them with the fork instead of building its own."""
    return (
        open(0, encoding="utf-8", closefd=False),
        open(1, "w", encoding="utf-8", closefd=False),
        open(2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False),
    )


def _prepare_child(
    fds: tuple[int, int, int, int, int],
    stdio: tuple[TextIO, TextIO, TextIO],
    memory_bytes: int,
    time_s: float,
) -> None:
    """Set up a forked child: own process group, stdio pipes, limits, default signals."""
    os.setpgid(0, 0)
    # the dispositions are Python's own (SIGINT raises, SIGXFSZ ignored so large files raise)
    signal.pthread_sigmask(signal.SIG_SETMASK, ())
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    os.closerange(RESULT_FD + 1, 1 << 16)
    _prctl(_PR_SET_DUMPABLE, 1)
    try:  # os-level calls: no file objects to allocate in the fresh child
        adj = os.open("/proc/self/oom_score_adj", os.O_WRONLY)
        try:
            os.write(adj, b"1000")
        finally:
            os.close(adj)
    except OSError:
        pass
    cpu = math.ceil(time_s) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.stdin, sys.stdout, sys.stderr = stdio
    sys.argv = [FILENAME]


def _data_in_use() -> int:
    """Bytes of data segment this process uses now (VmData), 0 when unknown."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _oom_kills() -> int | None:
    """How many processes the kernel killed for memory in this container, when visible."""
    for path, key in (
        ("/sys/fs/cgroup/memory.events", "oom_kill"),
        ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
    ):
        try:
            with open(path) as events:
                for line in events:
                    name, _, value = line.partition(" ")
                    if name == key:
                        return int(value)
        except (OSError, ValueError):
            continue
    return None


def _discard_pending_signals() -> None:
    """Drop the signals a program queued on this process while it blocks them: their pending
    set is visible in /proc and would otherwise carry bits from one test to the next."""
    while pending := signal.sigpending():
        signal.sigtimedwait(pending, 0)


def _reap_children(statuses: dict[int, int]) -> None:
    """Collect every finished child of this process without blocking."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        statuses[pid] = status


def _other_processes(spared: frozenset[int]) -> list[int]:
    """Every process of the container but the `spared` ones."""
    return [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in spared]


def kill_leftovers(
    child: int, pidfd: int, protected: frozenset[int], budget_s: float = KILL_BUDGET_S
) -> dict[int, int]:
    """Kill a test's child and every process it left behind, sparing `protected` (init, the
    supervisor and the spawner); return the exit statuses of those reaped here.

    Orphans come to this process (a child subreaper) and are reaped; the child itself is the
    spawner's to reap. Raises SupervisionLost when processes survive the budget.
    """
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + budget_s
    spared = protected | {child}
    with contextlib.suppress(ProcessLookupError):
        os.kill(child, signal.SIGKILL)
    while True:
        _reap_children(statuses)
        others = _other_processes(spared)
        if not others and select.select([pidfd], [], [], 0)[0]:
            return statuses
        if time.monotonic() > deadline:
            raise SupervisionLost("processes the program started could not be stopped")
        for pid in others:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.0002)


def end_every_process(budget_s: float = KILL_BUDGET_S) -> None:
    """Kill every process of the container except init and this one, and reap them."""
    deadline = time.monotonic() + budget_s
    while time.monotonic() < deadline:
        _reap_children({})
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            return
        time.sleep(0.0005)


_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def _remove_files(fd: int) -> list[str]:
    """Remove everything but directories from the directory `fd`; return the directories."""
    directories = []
    with os.scandir(fd) as entries:
        names = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
    for name, is_directory in names:
        if is_directory:
            directories.append(name)
        else:
            os.unlink(name, dir_fd=fd)
    return directories


def _enter(fd: int, name: str) -> int:
    """Open `name` below the directory `fd` and close `fd`."""
    try:
        return os.open(name, _DIRECTORY_FLAGS, dir_fd=fd)
    finally:
        os.close(fd)


def empty_directory(path: str) -> None:
    """Remove everything below `path`, never following a link and without recursion.

    The walk goes down one directory at a time (each made accessible to its owner first, so
    a directory chmod'ed to 0500 or 0 is no obstacle) and back up through "..", with one
    descriptor open: neither depth nor path length stops it. Safe only once every process of
    the program is dead, as nothing then moves the tree. Raises OSError on what it cannot
    remove.
    """
    fd = os.open(path, _DIRECTORY_FLAGS)
    try:
        levels = [_remove_files(fd)]  # per level walked down: directories still to empty
        entered: list[str] = []
        while levels:
            if levels[-1]:
                name = levels[-1].pop()
                os.chmod(name, 0o700, dir_fd=fd)
                fd = _enter(fd, name)
                entered.append(name)
                levels.append(_remove_files(fd))
                continue
            levels.pop()
            if entered:
                fd = _enter(fd, "..")
                os.rmdir(entered.pop(), dir_fd=fd)
    finally:
        os.close(fd)


def _remove_ipc(kind: str, ident: int) -> int:
    """Remove one System V IPC object of `kind` (shm, sem or msg); 0 on success."""
    if kind == "sem":
        return int(_LIBC.semctl(ident, 0, _IPC_RMID))
    return int(getattr(_LIBC, f"{kind}ctl")(ident, _IPC_RMID, None))


def _ipc_in_use(kind: str) -> int:
    """How many System V objects of `kind` (shm, sem or msg) exist, from the kernel's counters
    (one system call, much cheaper than reading the table); -1 when the kernel does not say."""
    info = ctypes.create_string_buffer(64)
    if kind == "sem":  # seminfo.semusz
        result, field = _LIBC.semctl(0, 0, _SEM_INFO, info), 7
    else:  # shm_info.used_ids, msginfo.msgpool
        result, field = getattr(_LIBC, f"{kind}ctl")(0, _IPC_INFO[kind], info), 0
    return -1 if int(result) < 0 else ctypes.c_int.from_buffer(info, 4 * field).value


def remove_ipc_objects() -> None:
    """Remove every System V shared memory segment, semaphore set and message queue of the
    container's own IPC namespace; raises OSError on one that cannot be removed."""
    for kind in ("shm", "sem", "msg"):
        if _ipc_in_use(kind) == 0:
            continue
        table = f"/proc/sysvipc/{kind}"
        try:
            with open(table) as listing:
                rows = listing.readlines()[1:]
        except FileNotFoundError:  # a kernel without System V IPC
            continue
        for row in rows:
            ident = int(row.split()[1])
            if _remove_ipc(kind, ident) != 0:
                raise OSError(ctypes.get_errno(), f"cannot remove IPC object {ident} ({table})")


def clean_scratch() -> None:
    """Leave nothing of a test for the next: empty the writable scratch directories (POSIX
    message queues live in /dev/mqueue) and remove System V IPC objects."""
    for directory in SCRATCH_DIRS:
        if os.path.isdir(directory):
            empty_directory(directory)
    remove_ipc_objects()


class _Capture:
    """Bytes read from one pipe, capped at `limit`."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.exceeded = False

    def add(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if len(chunk) > room:
            self.exceeded = True
        self.data += chunk[: max(room, 0)]


def _feed(stdin_w: int, pending: memoryview) -> memoryview:
    """Write the next piece of stdin; an empty result means done (or nobody reads any more)."""
    try:
        return pending[os.write(stdin_w, pending[:65536]) :]
    except BlockingIOError:
        return pending
    except OSError:
        return pending[:0]


def _describe_signal(number: int) -> str:
    """A readable name for a signal number."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


class Spawner:
    """Forks each test's child from a process that never held a test's data.

    It lives in its own process, forked from the supervisor before the key was made or the
    request read, and knows only the compiled program and its limits.
    """

    def __init__(
        self, code: types.CodeType, time_s: float, memory_bytes: int, calls: bool = False
    ) -> None:
        self.code = code
        self.calls = calls
        self.time_s = time_s
        self.data_limit = _data_in_use() + memory_bytes
        self.stdio = _standard_streams()

    def spawn(self, fds: list[int]) -> int:
        """Fork a child that runs the program (or its calls) on the pipes `fds` (stdin, stdout,
        stderr, report, results); return its pid."""
        _discard_pending_signals()
        pid = os.fork()
        if pid == 0:
            status = EXIT_INTERNAL_ERROR
            try:
                _prepare_child(
                    (fds[0], fds[1], fds[2], fds[3], fds[4]),
                    self.stdio,
                    self.data_limit,
                    self.time_s,
                )
                status = _run_calls(self.code) if self.calls else _run_user_code(self.code)
            finally:
                os._exit(status)
        for fd in fds:
            os.close(fd)
        return pid


def serve_spawner(control: socket.socket, setup_fd: int) -> None:
    """The spawner's whole life: read the code and limits and compile them once; then, for
    each `R` (carrying the test's pipes), fork a child, send its pid with a pidfd of it, reap
    it and send its wait status."""
    setup = read_request(setup_fd)
    os.close(setup_fd)
    compiled = compile_user_code(str(setup["code"]))
    if isinstance(compiled, str):
        control.send(b"E" + compiled.encode("utf-8", "backslashreplace")[:ERROR_LIMIT])
        return
    spawner = Spawner(
        compiled, float(setup["time_s"]), int(setup["memory_bytes"]), bool(setup["calls"])
    )
    del setup, compiled
    control.send(b"C")
    gc.freeze()  # children then leave the spawner's objects alone: fewer copied pages
    while True:
        message, fds, _, _ = socket.recv_fds(control, 16, 5)
        if message != b"R" or len(fds) != 5:  # the supervisor is gone (or speaks nonsense)
            return
        child = spawner.spawn(fds)
        pidfd = os.pidfd_open(child)  # before the child can be reaped: it is ours to reap
        socket.send_fds(control, [b"P%d" % child], [pidfd])
        os.close(pidfd)
        control.send(b"S%d" % wait_for_end(child))


def wait_for_end(child: int) -> int:
    """Wait until `child` has ended and return its wait status.

    A child that made this process its tracer (PTRACE_TRACEME) is reported each time it stops;
    such a stop is not its end: it stays stopped until the supervisor kills it.
    """
    while True:
        status = os.waitpid(child, 0)[1]
        if not os.WIFSTOPPED(status):
            return status


def start_spawner() -> tuple[int, socket.socket, int]:
    """Fork the spawner while this process holds no secret yet; return its pid, the control
    socket to it and the pipe on which it expects the code."""
    control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    setup_r, setup_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = EXIT_INTERNAL_ERROR
        try:
            control.close()
            os.close(setup_w)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)  # the container's stdin carries the request: not for the spawner
            os.close(null)
            serve_spawner(theirs, setup_r)
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    theirs.close()
    os.close(setup_r)
    return pid, control, setup_w


class TestRunner:
    """The supervisor's side of running the program on one input at a time."""

    def __init__(self, spawner: int, control: socket.socket, request: dict[str, Any]) -> None:
        self.control = control
        self.time_s = float(request["time_s"])
        self.stdout_limit = int(request["stdout_limit"])
        self.stderr_limit = int(request["stderr_limit"])
        self.total_left = int(request["total_limit"])
        self.calls = bool(request.get("calls"))
        self.protected = frozenset({1, os.getpid(), spawner})
        self.oom_kills = _oom_kills()
        self.started = 0.0
        control.settimeout(self.time_s + SPAWNER_SLACK_S)

    def _ask(self, message: bytes | None, fds: list[int] | None = None) -> tuple[bytes, list[int]]:
        """Send one command to the spawner (None: none), return its next answer and the
        descriptors that came with it."""
        try:
            if fds:
                socket.send_fds(self.control, [message or b""], fds)
            elif message is not None:
                self.control.send(message)
            answer, received, _, _ = socket.recv_fds(self.control, ERROR_LIMIT + 16, 1)
        except OSError as error:  # a timeout too: a program stopped the spawner
            raise SupervisionLost(STOPPED_SUPERVISION) from error
        if not answer:
            raise SupervisionLost(STOPPED_SUPERVISION)
        return answer, received

    def compile_error(self) -> str | None:
        """Wait for the spawner to compile the program; its error message, None when fine."""
        try:
            answer, _ = self._ask(None)
        except SupervisionLost:
            return "the program could not be compiled: the compiler stopped"
        return None if answer == b"C" else answer[1:].decode("utf-8", "replace")

    def run(self, stdin: bytes) -> dict[str, Any]:
        """Run the program on `stdin` in a fresh child and describe how it ended.

        Raises SupervisionLost when the program broke the supervision of its test.
        """
        stdin_r, stdin_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        rep_r, rep_w = os.pipe()
        res_r, res_w = os.pipe()
        stdout = _Capture(min(self.stdout_limit, self.total_left))
        stderr = _Capture(min(self.stderr_limit, self.total_left))
        report = _Capture(ERROR_LIMIT)
        results = _Capture(min(self.stdout_limit, self.total_left))
        captures = {out_r: stdout, err_r: stderr, rep_r: report, res_r: results}
        self.started = time.monotonic()
        try:
            answer, received = self._ask(b"R", [stdin_r, out_w, err_w, rep_w, res_w])
        finally:
            for fd in (stdin_r, out_w, err_w, rep_w, res_w):
                os.close(fd)
        if len(received) != 1:
            raise SupervisionLost(STOPPED_SUPERVISION)
        pid, pidfd = int(answer[1:]), received[0]
        try:
            try:
                timed_out = self._supervise(pidfd, stdin, stdin_w, captures)
                elapsed = time.monotonic() - self.started
                reaped = kill_leftovers(pid, pidfd, self.protected)
            finally:
                os.close(pidfd)
        finally:
            self._drain(captures)
        if pid in reaped:  # the child came to this process: the program killed the spawner
            raise SupervisionLost(STOPPED_SUPERVISION)
        status = int(self._ask(None)[0][1:])
        if not (os.WIFEXITED(status) or os.WIFSIGNALED(status)):  # the spawner was misled
            raise SupervisionLost(STOPPED_SUPERVISION)
        _discard_pending_signals()
        try:
            clean_scratch()
        except OSError as error:
            raise SupervisionLost(
                f"the program left something the sandbox cannot remove: {error.strerror}"
            ) from error
        self.total_left -= len(stdout.data) + len(stderr.data) + len(results.data)
        result = self._describe(status, timed_out, stdout, stderr, report, results)
        result["results"] = bytes(results.data) if self.calls else None
        result["time_ms"] = round(elapsed * 1000, 3)
        return result

    def lost(self, error: SupervisionLost) -> dict[str, Any]:
        """The result of a test whose program broke its supervision: a runtime error."""
        return {
            "outcome": "runtime_error",
            "exit_code": None,
            "signal": None,
            "stdout": b"",
            "stderr": b"",
            "stdout_truncated": False,
            "stderr_truncated": False,
            "error": str(error),
            "results": None,
            "time_ms": round((time.monotonic() - self.started) * 1000, 3),
        }

    def _supervise(
        self, pidfd: int, stdin: bytes, stdin_w: int, captures: dict[int, _Capture]
    ) -> bool:
        """Feed stdin and collect output until the child exits, floods or runs out of time.

        Returns True when the time limit was exceeded.
        """
        deadline = self.started + self.time_s
        selector = selectors.DefaultSelector()
        selector.register(pidfd, selectors.EVENT_READ)
        for fd in captures:
            selector.register(fd, selectors.EVENT_READ)
        pending = memoryview(stdin)
        os.set_blocking(stdin_w, False)
        selector.register(stdin_w, selectors.EVENT_WRITE)
        stdin_open = True
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return True
                for key, _ in selector.select(left):
                    fd = int(key.fd)
                    if fd == pidfd:
                        return False
                    if fd == stdin_w:
                        pending = _feed(stdin_w, pending)
                        if not pending:
                            selector.unregister(stdin_w)
                            os.close(stdin_w)
                            stdin_open = False
                        continue
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        selector.unregister(fd)
                        continue
                    captures[fd].add(chunk)
                    if captures[fd].exceeded:
                        return False
        finally:
            selector.close()
            if stdin_open:
                os.close(stdin_w)

    @staticmethod
    def _drain(captures: dict[int, _Capture]) -> None:
        """Read what is left in the pipes once every writer is dead, then close them."""
        for fd, capture in captures.items():
            os.set_blocking(fd, False)
            try:
                while chunk := os.read(fd, 65536):
                    capture.add(chunk)
            except BlockingIOError:
                pass
            finally:
                os.close(fd)

    def _describe(
        self,
        status: int,
        timed_out: bool,
        stdout: _Capture,
        stderr: _Capture,
        report: _Capture,
        results: _Capture,
    ) -> dict[str, Any]:
        """Classify how the child ended."""
        exit_code = os.waitstatus_to_exitcode(status)
        signal_number = -exit_code if exit_code < 0 else None
        error_type, _, trace = bytes(report.data).decode("utf-8", "replace").partition("\n")
        error = trace or None
        oom_before, oom_after = self.oom_kills, _oom_kills()
        self.oom_kills = oom_after
        if timed_out:
            outcome, error = "time_limit", f"time limit of {self.time_s:g} s exceeded"
        elif stdout.exceeded or stderr.exceeded or results.exceeded:
            outcome, error = "output_limit", "output limit exceeded"
        elif error_type == "MemoryError" or (
            oom_before is not None and oom_after is not None and oom_after > oom_before
        ):
            outcome = "memory_limit"
            error = error or "memory limit exceeded"
        elif signal_number == signal.SIGXCPU:
            outcome, error = "time_limit", "CPU time limit exceeded"
        elif signal_number == signal.SIGKILL and oom_before is None:
            outcome, error = "memory_limit", "killed, most likely for using too much memory"
        elif exit_code != 0:
            outcome = "runtime_error"
            if error is None:
                error = (
                    f"killed by {_describe_signal(signal_number)}"
                    if signal_number is not None
                    else f"exited with status {exit_code}"
                )
        else:
            outcome, error = "ok", None
        return {
            "outcome": outcome,
            "exit_code": exit_code if signal_number is None else None,
            "signal": signal_number,
            "stdout": bytes(stdout.data),
            "stderr": bytes(stderr.data),
            "stdout_truncated": stdout.exceeded,
            "stderr_truncated": stderr.exceeded,
            "error": error,
        }


def compile_user_code(source: str) -> types.CodeType | str:
    """Compile the program once; return the code or the error message Python would print."""
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    try:
        return compile(source, FILENAME, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError) as error:
        return "".join(traceback.format_exception_only(type(error), error))


def handle(
    request: dict[str, Any], spawner: int, control: socket.socket, setup_fd: int
) -> dict[str, Any]:
    """Hand the code to the spawner, then run each input in a fresh child; stop after a time
    limit or once the program broke its supervision."""
    setup = {name: request[name] for name in ("code", "time_s", "memory_bytes")}
    setup["calls"] = bool(request.get("calls"))
    _write_all(setup_fd, frame_request(setup))
    os.close(setup_fd)
    runner = TestRunner(spawner, control, request)
    error = runner.compile_error()
    if error is not None:
        return {"syntax_error": error, "tests": []}
    tests: list[dict[str, Any]] = []
    for text in request["inputs"]:
        try:
            tests.append(runner.run(str(text).encode("utf-8")))
        except SupervisionLost as lost:
            tests.append(runner.lost(lost))
            break
        if tests[-1]["outcome"] == "time_limit":
            break
    return {"tests": tests}


def inside_container() -> bool:
    """Tell whether this runs as the child of a container's init (it kills all other processes)."""
    return os.getppid() == 1 and os.path.exists("/.dockerenv")


def main() -> None:
    """Start the spawner, then announce readiness, serve exactly one request, exit 0 only
    after a complete response."""
    if not inside_container():
        sys.exit("the sandbox loader only runs inside its container, under the container's init")
    _prctl(_PR_SET_DUMPABLE, 0)
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED_SIGNALS)
    gc.freeze()  # the collector leaves what exists now alone: fewer pages copied after forks
    spawner, control, setup_fd = start_spawner()  # before any secret exists in this process
    key = bytearray(KEY_SIZE)
    with open("/dev/urandom", "rb", buffering=0) as random:
        if random.readinto(key) != KEY_SIZE:
            sys.exit(EXIT_INTERNAL_ERROR)
    os.writev(1, [READY, key, b"\n"])  # no copy of the key stays behind in memory
    try:
        request = read_request()
        nonce = str(request["nonce"])
        response = frame_response(handle(request, spawner, control, setup_fd), nonce, key)
    except Exception:
        traceback.print_exc()
        sys.exit(EXIT_INTERNAL_ERROR)
    end_every_process()  # nothing of the program may write after the response
    _write_all(1, response)
    os._exit(0)


if __name__ == "__main__":
    main()
