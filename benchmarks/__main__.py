"""``python -m benchmarks [--quick] [--only NAME] [--out FILE]``: run the suite, print a table and
write BENCHMARKS.md (``--quick``: tiny sizes, written to var/bench/BENCHMARKS-quick.md)."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

from benchmarks import REGISTRY
from benchmarks.common import FULL_SIZES, QUICK_SIZES, Context, Row
from benchmarks.report import markdown, table
from kb.config import PROJECT_ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each: a smoke test")
    parser.add_argument("--only", action="append", choices=REGISTRY, help="run only this benchmark (repeatable)")
    parser.add_argument("--out", type=Path, help="where to write the Markdown report")
    parser.add_argument("--largest", choices=("medium", "large"), default="large",
                        help="leave out the sizes above this one (only sparql_latency and throughput run without large)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else FULL_SIZES
    sizes = {name: events for name, events in sizes.items() if args.largest == "large" or name != "large"}
    ctx = Context(args.quick, sizes, 1 if args.quick else 3)
    out = args.out or (PROJECT_ROOT / ("var/bench/BENCHMARKS-quick.md" if args.quick else "BENCHMARKS.md"))
    started = time.time()
    for size in ctx.sizes:  # generate (or reuse) the corpora first, so their time is not in any figure
        print(f"corpus {ctx.label(size)}", flush=True)
    for name in args.only or REGISTRY:
        print(f"running {name} ...", flush=True)
        try:
            ctx.rows.extend(importlib.import_module(f"benchmarks.{name}").run(ctx))
        except Exception as exc:  # noqa: BLE001 - one failed benchmark is reported, the others still run
            traceback.print_exc()
            ctx.rows.append(Row(name, "FAILED", "", float("nan"), "", note=f"{type(exc).__name__}: {exc}"[:300]))
        out.parent.mkdir(parents=True, exist_ok=True)  # after each benchmark, so a cut-short run leaves a report
        out.write_text(markdown(ctx, time.time() - started, args), encoding="utf-8")
    elapsed = time.time() - started
    print(table(ctx.rows))
    print(f"wrote {out} ({elapsed / 60:.1f} min)")
    return 1 if any(r.measure == "FAILED" for r in ctx.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
