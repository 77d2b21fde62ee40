"""Runs dbt commands in processes forked from one that has imported dbt already.

Every `dbt` process spends about 2.5 CPU seconds importing dbt, its DuckDB adapter and
what the project's Python models use (Splink, pandas, PyArrow, SciPy), before it reads a
single file: the test suite starts dozens of small builds, each paying it again. This
server imports them once; for each command it is sent, it forks, and a child runs the
same entry point as the `dbt` script (dbt.cli.main.cli) in the caller's folder, with the
caller's environment, its output appended to the caller's log file. Only the imports are
shared: nothing of dbt runs before the fork, so every command starts from dbt's state as a
new process would have it. pipeline/dbt-server.ts starts it and talks to it.

Protocol, over the Unix socket named as the first argument: one line of JSON
{"args": [...], "cwd": "...", "env": {...}, "logFile": "..."}; the answer is one line of
JSON {"pid": P, "exitCode": N} once dbt's process P has ended ({"exitCode": null,
"signal": N} when a signal ended it). The server prints "ready" when it listens and
exits when the process that started it is gone.
"""

import atexit
import json
import os
import socketserver
import sys
import time

# What a `dbt build` of this project imports: dbt's command line and adapter, our two
# packages (with Splink and pandas), and the modules a build still imported in a child of
# a server that had only those loaded (docs/performance.md, "dbt commands forked from one
# process"). A module left out is imported by the command that needs it, as in a new process.
PRELOADED = [
    "dbt.cli.main",
    "dbt.adapters.duckdb",
    "dbt.adapters.duckdb.environments.local",
    "dbt.compilation",
    "dbt.parser.sql",
    "dbt.task.build",
    "dbt.task.run",
    "dbt.task.seed",
    "dbt.task.test",
    "dbt_common.clients.agate_helper",
    "asiakkuus_identity",
    "asiakkuus_value",
    "pyarrow.dataset",
    "pyarrow.pandas_compat",
    "scipy.special",
    "sqlglot.dialects.duckdb",
    "sqlparse",
    "asyncio",
    "babel.dates",
    "daff",
    "multiprocessing.pool",
    "google.protobuf.descriptor_pb2",
]


def exit_code(exit: SystemExit) -> int:
    if exit.code is None:
        return 0
    return exit.code if isinstance(exit.code, int) else 1


def run_dbt(request: dict) -> int:
    """Runs one dbt command in this process, as the `dbt` script would; returns its exit code."""
    # The log first (its path is absolute), so that whatever fails below is in it.
    log = os.open(request["logFile"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    from dbt.cli.main import cli

    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        sys.argv = ["dbt", *request["args"]]
        cli()
        return 0
    except SystemExit as exit:
        return exit_code(exit)
    except BaseException:  # what the dbt script would print before dying
        import traceback

        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


class DbtCommand(socketserver.StreamRequestHandler):
    """One dbt command; runs in a child the server forks for it (socketserver.ForkingMixIn)."""

    def handle(self) -> None:
        request = json.loads(self.rfile.readline())
        # dbt runs in a child of its own, and the answer goes only once that child has
        # exited: DuckDB lets go of the warehouse file when its process ends, and the caller
        # opens the file next (a process that answered first still held its lock).
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = run_dbt(request)
            finally:
                # What a dbt process does as it exits: its exit handlers, among them
                # dbt-duckdb's, which closes the database (DuckDB checkpoints it then), and
                # multiprocessing's, which frees dbt's semaphores. os._exit alone skips
                # them: the file was left with its write-ahead log, and a warning of leaked
                # semaphores ended every log. os._exit still, so that nothing of the
                # server's own code runs on in this child.
                atexit._run_exitfuncs()
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        # A negative status is the signal that ended dbt (killed, or out of memory).
        answer = {"pid": pid, **({"exitCode": status} if status >= 0 else {"exitCode": None, "signal": -status})}
        self.wfile.write((json.dumps(answer) + "\n").encode())


class DbtServer(socketserver.ForkingMixIn, socketserver.UnixStreamServer):
    # dbt's builds of the suite's fixtures run side by side; each is its own child.
    max_children = 64

    def __init__(self, socket_path: str) -> None:
        self.starter = os.getppid()
        super().__init__(socket_path, DbtCommand)

    def service_actions(self) -> None:
        super().service_actions()
        # The starter (a test run, say) died without stopping the server: stop with it.
        # serve_forever calls this between requests; the exit ends it like shutdown() would.
        if os.getppid() != self.starter:
            raise SystemExit(0)


def main() -> None:
    socket_path = sys.argv[1]
    for module in PRELOADED:
        __import__(module)
    try:
        with DbtServer(socket_path) as server:
            print("ready", flush=True)
            server.serve_forever(poll_interval=0.5)
    finally:
        # When the starter died, no one else removes the socket or the folder made for it
        # alone (rmdir leaves a folder that holds anything else); the suite's runs that
        # were stopped halfway had left one behind each.
        for remove, path in ((os.unlink, socket_path), (os.rmdir, os.path.dirname(socket_path))):
            try:
                remove(path)
            except OSError:
                pass


if __name__ == "__main__":
    main()
