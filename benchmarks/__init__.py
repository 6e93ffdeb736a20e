"""The benchmark suite: ``python -m benchmarks [--quick] [--only NAME]`` (see BENCHMARKS.md).

Each benchmark is a module of this package with a ``run(ctx)`` function returning
:class:`benchmarks.common.Row` results; :data:`REGISTRY` lists them in the order they run.
Add one by writing its module and naming it here.
"""

REGISTRY = ("build", "ingest", "extract_scaling", "validation", "sparql_latency", "throughput")
