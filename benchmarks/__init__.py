"""``make bench``: the static package against googleapiclient's dynamic client, in one run.

Every figure compares ``workspaceevents.build(...)`` with
``googleapiclient.discovery.build(...)`` for ``("workspaceevents", "v1")``,
measured in the same run with dynamic and static rounds interleaved, and
reports medians. ``python -m benchmarks`` prints one table with a PASS/FAIL
per goal and, where one is known, the physical limit of the figure (what any
client must spend); it exits 0 when every goal holds and 1 naming each goal
that does not. Nothing is written to disk but fresh bytecode for the runtime
and the generated package (as an installed package has it).

Modules, one per kind of measurement:

- ``calls``: per-call time of request building, the resource accessor and the chain;
- ``endtoend``: one ``get`` executed against LocalServer, with a bare httplib2 request as the limit;
- ``bigapi``: compute v1 build + first accessor and the memory it adds, against their limits;
- ``gc_objects``: objects left for the cycle collector per call;
- ``memory``: memory held per built service (tracemalloc);
- ``startup``: cold start and import time in fresh interpreters;
- ``_harness``: interleaved timing, goals and the table; ``_clients``: how both clients are built.
"""
