"""Runs a command and reports its wall time, CPU time and peak memory as JSON.

Usage: python3 measure-process.py OUT.json COMMAND [ARGS...]
Peak memory is ru_maxrss of the waited-for children (Linux: the largest resident set of
any descendant process), which covers node, dbt and DuckDB alike. CPU time is user plus
system time of the same waited-for descendants: on a shared machine it moves far less
with the other load than the wall time does, so it is the figure to compare two versions
of a stage by.
"""
import json
import resource
import subprocess
import sys
import time

out_file, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
completed = subprocess.run(command)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out_file, "w", encoding="utf-8") as handle:
    json.dump({"exitCode": completed.returncode, "seconds": seconds, "cpuSeconds": usage.ru_utime + usage.ru_stime,
               "maxRssBytes": usage.ru_maxrss * 1024}, handle)
sys.exit(completed.returncode)
