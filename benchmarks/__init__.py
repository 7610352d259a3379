"""``make bench``: the static package against googleapiclient's dynamic client, in one run.

Every figure compares ``workspaceevents.build(...)`` with
``googleapiclient.discovery.build(...)`` for ``("workspaceevents", "v1")``,
measured in the same run with dynamic and static rounds interleaved, and
reports medians. ``python -m benchmarks`` prints one table with a PASS/FAIL
per goal and exits with status 1 if any goal fails. Nothing is written to disk.

Modules, one per kind of measurement:

- ``calls``: per-call time of request building, the resource accessor and the chain;
- ``gc_objects``: objects left for the cycle collector per call;
- ``memory``: memory held per built service (tracemalloc);
- ``startup``: cold start and import time in fresh interpreters;
- ``_harness``: interleaved timing, goals and the table; ``_clients``: how both clients are built.
"""
