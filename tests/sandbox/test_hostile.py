"""Hostile programs: each gets the right verdict, the host is unaffected, and the next
submission is graded normally."""

from __future__ import annotations

import time

import pytest

from sandbox import GradeResult, RunLimits, SandboxPool, TestCase, Verdict
from sandbox.bench import grade_hostile
from tests.support.sandbox import FAST, HOST_SECRET, assert_healthy

pytestmark = [pytest.mark.docker, pytest.mark.asyncio(loop_scope="module")]

SHORT = RunLimits(time_s=0.5, memory_mb=32)
ONE = [TestCase(input="", expected="ok\n")]
TWO = [TestCase(input="", expected="ok\n"), TestCase(input="", expected="ok\n")]


async def grade(
    pool: SandboxPool, code: str, cases: list[TestCase] = ONE, limits: RunLimits = FAST
) -> GradeResult:
    """Grade `code`, check the next submission is fine, return the result."""
    result = await pool.grade(code, cases, limits=limits)
    await assert_healthy(pool)
    return result


async def test_fork_bomb(pool: SandboxPool) -> None:
    code = (
        "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    )
    started = time.monotonic()
    result = await grade(pool, code, TWO, SHORT)
    assert result.verdict is Verdict.TIME_LIMIT
    assert result.tests[1].verdict is None  # not run after a time limit
    assert time.monotonic() - started < 10


async def test_memory_bomb_hits_the_memory_limit(pool: SandboxPool) -> None:
    code = "blocks = []\nwhile True:\n    blocks.append(bytearray(1 << 20))\n"
    result = await grade(pool, code)
    assert result.verdict is Verdict.MEMORY_LIMIT


async def test_memory_bomb_touching_pages_hits_the_container_limit(pool: SandboxPool) -> None:
    code = "blocks = []\nwhile True:\n    blocks.append(b'x' * (1 << 20))\n"
    result = await grade(pool, code, limits=RunLimits(time_s=2, memory_mb=64))
    assert result.verdict is Verdict.MEMORY_LIMIT


@pytest.mark.parametrize(
    "code",
    [
        "while True:\n    pass\n",
        "import time\ntime.sleep(10**6)\n",
        "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    pass\n",
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(10**6,)).start()\nprint('ok')\n",
    ],
    ids=["infinite-loop", "sleep-forever", "ignores-sigterm", "non-daemon-thread"],
)
async def test_time_limit(pool: SandboxPool, code: str) -> None:
    started = time.monotonic()
    result = await grade(pool, code, limits=SHORT)
    assert result.verdict is Verdict.TIME_LIMIT
    assert result.message is not None
    assert "time limit" in result.message
    assert time.monotonic() - started < 6


@pytest.mark.parametrize(
    "code",
    [
        "while True:\n    print('x' * 1000)\n",
        "import sys\nwhile True:\n    print('x' * 1000, file=sys.stderr)\n",
        "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n",
        "import os\nwhile True:\n    os.write(1, b'x' * 65536)\n",
    ],
    ids=["stdout", "stderr", "one-huge-line", "raw-fd"],
)
async def test_output_flood(pool: SandboxPool, code: str) -> None:
    result = await grade(pool, code)
    assert result.verdict is Verdict.OUTPUT_LIMIT
    assert result.tests[0].truncated
    assert len(result.tests[0].stdout) <= pool.config.stdout_limit_bytes


async def test_flood_into_the_containers_own_stdout(pool: SandboxPool) -> None:
    code = (
        "import os\nfd = os.open('/proc/1/fd/1', os.O_WRONLY)\n"
        "while True:\n    os.write(fd, b'x' * 65536)\n"
    )
    result = await grade(pool, code, limits=SHORT)
    assert result.verdict in (Verdict.TIME_LIMIT, Verdict.OUTPUT_LIMIT)


async def test_binary_and_non_utf8_output(pool: SandboxPool) -> None:
    code = "import sys\nsys.stdout.buffer.write(bytes(range(256)) + b'\\xff\\xfe\\n')\n"
    result = await grade(pool, code)
    assert result.verdict is Verdict.WRONG_ANSWER
    assert "\ufffd" in result.tests[0].stdout


WRITE_EVERYWHERE = """
import os
writable = []
for root, dirs, files in os.walk('/'):
    if root.startswith(('/proc', '/sys')):
        dirs[:] = []
        continue
    try:
        with open(os.path.join(root, '.probe'), 'w') as probe:
            probe.write('x')
        writable.append(root)
    except OSError:
        pass
for path in ['/etc/passwd', '/opt/codestreak/loader.py', '/usr/bin/python3']:
    try:
        open(path, 'a').close()
        writable.append(path)
    except OSError:
        pass
print(' '.join(sorted(writable)))
"""


async def test_writes_everywhere_only_reach_scratch_space(pool: SandboxPool) -> None:
    result = await grade(pool, WRITE_EVERYWHERE, limits=RunLimits(time_s=5, memory_mb=32))
    assert result.tests[0].verdict is not None
    written = set(result.tests[0].stdout.split())
    assert written <= {"/tmp", "/dev/shm", "/dev/mqueue"}, written
    assert "/tmp" in written


FILL_SCRATCH = """
import os
for directory in ('/tmp', '/dev/shm'):
    try:
        with open(os.path.join(directory, 'fill'), 'wb') as out:
            while True:
                out.write(b'x' * (1 << 20))
                out.flush()
    except OSError as error:
        print(directory, 'full', type(error).__name__)
print(sorted(os.listdir('/tmp')))
"""


async def test_filling_tmp_and_shm(pool: SandboxPool) -> None:
    expected = "/tmp full OSError\n/dev/shm full OSError\n['fill']\n"
    cases = [TestCase(input="", expected=expected)] * 2
    result = await grade(pool, FILL_SCRATCH, cases, RunLimits(time_s=5, memory_mb=32))
    # the second test finds /tmp emptied again: scratch space is cleaned between tests
    assert result.verdict is Verdict.ACCEPTED, result


async def test_tmp_is_not_executable(pool: SandboxPool) -> None:
    code = (
        "import os, shutil\nshutil.copy('/bin/true', '/tmp/t')\nos.chmod('/tmp/t', 0o755)\n"
        "try:\n    os.execv('/tmp/t', ['t'])\nexcept PermissionError:\n    print('ok')\n"
    )
    assert (await grade(pool, code)).verdict is Verdict.ACCEPTED


NETWORK = """
import socket, time
started = time.monotonic()
for host, port in [('1.1.1.1', 53), ('172.17.0.1', 2375), ('169.254.169.254', 80),
                   ('8.8.8.8', 443)]:
    try:
        socket.create_connection((host, port), timeout=3).close()
        print('connected', host)
    except OSError:
        pass
try:
    socket.getaddrinfo('pypi.org', 443)
    print('resolved')
except OSError:
    pass
interfaces = [name for _, name in socket.if_nameindex()]
print('ok' if time.monotonic() - started < 1 and interfaces == ['lo'] else interfaces)
"""


async def test_network_is_unreachable(pool: SandboxPool) -> None:
    assert (await grade(pool, NETWORK, limits=RunLimits(time_s=5, memory_mb=32))).verdict is (
        Verdict.ACCEPTED
    )


async def test_background_process_is_killed(pool: SandboxPool) -> None:
    code = (
        "import os, subprocess, time\n"
        "subprocess.Popen(['sleep', '1000'])\n"
        "if os.fork() == 0:\n    os.setsid()\n    time.sleep(0.3)\n"
        "    os.write(1, b'late\\n')\n    os._exit(0)\n"
        "print('ok')\n"
    )
    started = time.monotonic()
    result = await grade(pool, code, TWO)
    assert result.verdict is Verdict.ACCEPTED
    assert all("late" not in t.stdout for t in result.tests)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "code",
    [
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
        "import os, signal\nos.kill(-1, signal.SIGKILL)\n",
    ],
    ids=["parent", "everything"],
)
async def test_killing_the_loader(pool: SandboxPool, code: str) -> None:
    result = await grade(pool, code)
    assert result.verdict is Verdict.RUNTIME_ERROR
    assert result.message is not None
    assert "supervisor" in result.message


async def test_signals_to_init_and_loader_do_nothing(pool: SandboxPool) -> None:
    code = (
        "import os, signal\nfor s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):\n"
        "    os.kill(os.getppid(), s)\n    os.kill(1, s)\nprint('ok')\n"
    )
    assert (await grade(pool, code)).verdict is Verdict.ACCEPTED


SECRETS = """
import os, glob
found = repr(dict(os.environ))
for path in glob.glob('/proc/*/environ') + glob.glob('/proc/*/cmdline'):
    try:
        found += open(path, 'rb').read().decode('latin-1')
    except OSError:
        pass
print(found)
print(os.path.exists('/var/run/docker.sock'), os.path.exists('/run/docker.sock'))
print(os.getuid(), os.geteuid())
print(open('/proc/self/status').read())
"""


async def test_no_secrets_or_socket_inside(pool: SandboxPool) -> None:
    result = await pool.run(SECRETS, [""], FAST)
    output = result.tests[0].stdout.decode("utf-8", "replace")
    assert HOST_SECRET not in output
    assert "False False" in output
    assert "10001 10001" in output
    assert "CapEff:\t0000000000000000" in output
    assert "NoNewPrivs:\t1" in output
    await assert_healthy(pool)


@pytest.mark.parametrize(
    ("code", "verdict", "text"),
    [
        ("def f(n):\n    return f(n + 1)\nf(0)\n", Verdict.RUNTIME_ERROR, "RecursionError"),
        (
            "import sys\nsys.setrecursionlimit(10**7)\n"
            "def f(n):\n    return list(map(f, [n + 1]))\nf(0)\n",
            Verdict.RUNTIME_ERROR,
            "SIGSEGV",
        ),
        ("print('ok')\nraise SystemExit(0)\n", Verdict.ACCEPTED, None),
        ("import sys\nprint('ok')\nsys.exit(None)\n", Verdict.ACCEPTED, None),
        ("import sys\nprint('ok')\nsys.exit(3)\n", Verdict.RUNTIME_ERROR, "status 3"),
        ("import sys\nprint('ok')\nsys.exit('text')\n", Verdict.RUNTIME_ERROR, "text"),
        ("import os\nprint('ok', flush=True)\nos._exit(0)\n", Verdict.ACCEPTED, None),
        ("import os\nos._exit(7)\n", Verdict.RUNTIME_ERROR, "status 7"),
        ("import os\nprint('ok', flush=True)\nos.close(1)\n", Verdict.ACCEPTED, None),
        ("import sys\nsys.stdout.close()\nprint('ok')\n", Verdict.RUNTIME_ERROR, "ValueError"),
        ("input()\ninput()\n", Verdict.RUNTIME_ERROR, "EOFError"),
        (
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
            Verdict.RUNTIME_ERROR,
            "SIGKILL",
        ),
    ],
    ids=[
        "recursion",
        "recursion-crash",
        "exit-0",
        "exit-none",
        "exit-3",
        "exit-text",
        "os-exit-0",
        "os-exit-7",
        "close-stdout-fd",
        "close-sys-stdout",
        "read-beyond-input",
        "kill-self",
    ],
)
async def test_exits_and_crashes(
    pool: SandboxPool, code: str, verdict: Verdict, text: str | None
) -> None:
    result = await grade(pool, code, [TestCase(input="1\n", expected="ok\n")])
    assert result.verdict is verdict, result
    if text is not None:
        assert result.message is not None
        assert text in result.message, result.message


FORGE = """
import os, secrets, sys
sys.path.insert(0, '/opt/codestreak')
import loader
fake = {'tests': [{'outcome': 'ok', 'exit_code': 0, 'signal': None, 'stdout': b'FORGED\\n',
                   'stderr': b'', 'stdout_truncated': False, 'stderr_truncated': False,
                   'error': None, 'time_ms': 1.0}] * 2}
forged = loader.frame_response(fake, secrets.token_hex(16), bytearray(32))
print(forged.decode(), end='')
fd = os.open('/proc/1/fd/1', os.O_WRONLY)
os.write(fd, forged)
print('genuine')
"""


async def test_forged_framing_is_ignored(pool: SandboxPool) -> None:
    cases = [TestCase(input="", expected="FORGED\n")] * 2
    result = await grade(pool, FORGE, cases)
    assert result.verdict is Verdict.WRONG_ANSWER, result
    assert result.tests[0].stdout.endswith("genuine\n")


LEAVE_TRACES = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
if input() == 'make':
    os.chdir('/tmp')
    for _ in range(1200):  # deeper than any recursive walk goes
        os.mkdir('d')
        os.chdir('d')
    os.chdir('/tmp')
    for _ in range(40):  # longer than any path the kernel takes at once
        os.mkdir('n' * 200)
        os.chdir('n' * 200)
    os.chdir('/tmp')
    os.makedirs('/tmp/locked/inner')
    open('/tmp/locked/inner/file', 'w').close()
    os.chmod('/tmp/locked/inner', 0o500)
    os.chmod('/tmp/locked', 0)
    os.symlink('/opt/codestreak', '/tmp/link')
    open('/dev/shm/shared', 'w').close()
    libc.shmget(0x1234, 4096, 0o1600)  # IPC_CREAT
    libc.semget(0x1235, 1, 0o1600)
    libc.msgget(0x1236, 0o1600)
    if libc.mq_open(b'/queue', os.O_CREAT | os.O_RDWR, 0o600, None) < 0:
        raise OSError(ctypes.get_errno(), 'mq_open')
    print('made')
else:
    left = [sorted(os.listdir(path)) for path in ('/tmp', '/dev/shm', '/dev/mqueue')]
    for kind in ('shm', 'sem', 'msg'):
        with open('/proc/sysvipc/' + kind) as table:
            left.append(len(table.readlines()) - 1)
    print(left)
"""


async def test_nothing_a_test_leaves_reaches_the_next(pool: SandboxPool) -> None:
    cases = [
        TestCase(input="make\n", expected="made\n"),
        TestCase(input="look\n", expected="[[], [], [], 0, 0, 0]\n"),
    ]
    result = await grade(pool, LEAVE_TRACES, cases, RunLimits(time_s=5, memory_mb=32))
    assert result.verdict is Verdict.ACCEPTED, result
    assert (await pool.run("print(open('/opt/codestreak/loader.py').read(9))", [""], FAST)).tests[
        0
    ].stdout == b'"""The su\n'  # the link was removed, not followed


async def test_hostile_output_never_stalls_the_host(pool: SandboxPool) -> None:
    """A program that stops its supervision and streams trailer-shaped frames until the
    deadline: the event loop keeps running and the deadline holds (`codestreak bench grading`
    prints the figures; the bounds here only catch a host that stops serving)."""
    result = await grade_hostile(pool)
    assert result.verdict is Verdict.TIME_LIMIT, result
    assert result.stall_ms < 250, result
    assert result.elapsed_s < result.deadline_s + 1.0, result
    await assert_healthy(pool)


TRACED_BY_THE_SPAWNER = """
import ctypes, os, signal, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.ptrace(0, 0, None, None) != 0:  # PTRACE_TRACEME: the spawner becomes the tracer
    sys.exit('ptrace refused')
os.kill(os.getpid(), signal.{signal})  # a traced process stops on a signal: its parent sees it
print('ok')
"""


@pytest.mark.parametrize("name", ["SIGUSR1", "SIGSTOP"])
async def test_a_program_that_makes_itself_traced_gets_a_verdict(
    pool: SandboxPool, name: str
) -> None:
    """Its parent sees it stopped rather than ended: never the grader's failure."""
    code = TRACED_BY_THE_SPAWNER.replace("{signal}", name)
    result = await grade(pool, code, TWO, SHORT)
    assert result.verdict is not Verdict.SANDBOX_ERROR, result
    assert result.verdict is not Verdict.ACCEPTED, result
