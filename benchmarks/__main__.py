"""`python -m benchmarks search|endpoint|all [--persons N] [--meetings M] [--backend B]`, and
`python -m benchmarks import [--rows N] [--backend B]`."""

import argparse
import sys
import time

from benchmarks import endpoint, imports, sealing_lag, search
from benchmarks.fill import BACKENDS, filled_database
from storage.db import Database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("benchmark", choices=("search", "endpoint", "all", "import"))
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--samples", type=int, default=search.SAMPLES)
    parser.add_argument("--requests", type=int, default=endpoint.REQUESTS_PER_CLIENT)
    parser.add_argument("--rows", type=int, default=100_000, help="import: lines per file")
    arguments = parser.parse_args(argv)
    backends = BACKENDS if arguments.backend == "both" else (arguments.backend,)
    if arguments.benchmark == "import":
        return _report_import(backends, arguments.rows)
    healthy = True
    for backend in backends:
        started = time.perf_counter()
        with filled_database(
            backend, persons=arguments.persons, meetings=arguments.meetings
        ) as database:
            print(
                f"{backend}: {arguments.persons:,} persons, {arguments.meetings:,} meetings "
                f"filled in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            if arguments.benchmark in ("search", "all"):
                healthy &= _report_search(database, arguments.samples)
            if arguments.benchmark in ("endpoint", "all"):
                healthy &= _report_endpoint(database, arguments.samples, arguments.requests)
    return 0 if healthy else 1


def _report_search(database: Database, samples: int) -> bool:
    healthy = True
    print(
        f"  {'query':<8} {'p50 ms':>8} {'p95 ms':>8} {'target':>8} {'hits':>6}  full scans  "
        "indexes used"
    )
    for timing in search.run(database, samples=samples):
        fast = timing.p95_ms < timing.target_p95_ms
        healthy &= fast and not timing.full_scans
        scans = "; ".join(timing.full_scans) or "none"
        print(
            f"  {timing.kind:<8} {timing.p50_ms:>8.1f} {timing.p95_ms:>8.1f} "
            f"{timing.target_p95_ms:>8.1f} {timing.mean_hits:>6.1f}  {scans:<10}  "
            f"{', '.join(timing.indexes)}"
            f"{'' if fast else '  (p95 over the target)'}",
            flush=True,
        )
    return healthy


def _report_endpoint(database: Database, samples: int, requests: int) -> bool:
    appended_after = sealing_lag.last_event_id(database)
    run = endpoint.run(database, samples=samples, per_client=requests)
    print(
        "  /asiakas through POST /slack/events (signed request in, response out):\n"
        f"  {'app':<32} {'workers':>7} {'clients':>7} {'requests':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'req/s':>7} {'peak MB':>8} {'errors':>6} {'CPU ms':>6} {'cores':>5} "
        f"{'client CPU ms':>13}\n"
        "  (CPU ms: the workers' CPU time per request; cores: their CPU time over the wall time; "
        "client CPU ms: the load generator's per request)",
        flush=True,
    )
    for figure in run.figures:
        print(
            f"  {endpoint.APP_NAMES[figure.app]:<32} {figure.workers:>7} {figure.clients:>7} "
            f"{figure.requests:>8} {figure.p50_ms:>8.1f} {figure.p99_ms:>8.1f} "
            f"{figure.per_second:>7.0f} {figure.peak_memory_mb:>8.0f} {figure.errors:>6} "
            f"{figure.server_cpu_ms:>6.2f} {figure.cores_busy:>5.2f} "
            f"{figure.client_cpu_ms:>13.2f}",
            flush=True,
        )
    one = run.figure("bot", clients=1)
    checks = [
        (
            run.p99_ratio <= endpoint.TARGET_P99_RATIO,
            f"p99 with {endpoint.CLIENTS} clients is {run.p99_ratio:.1f}x the floor "
            f"(target at most {endpoint.TARGET_P99_RATIO:.0f}x)",
        ),
        (
            run.over_search_ms <= endpoint.TARGET_OVER_SEARCH_MS,
            f"one client alone: p50 {one.p50_ms:.1f} ms, the search's own p50 "
            f"{run.search_p50_ms:.1f} ms, {run.over_search_ms:+.1f} ms beyond it "
            f"(target at most +{endpoint.TARGET_OVER_SEARCH_MS:.0f} ms)",
        ),
        (
            run.throughput_ratio() >= endpoint.TARGET_THROUGHPUT_RATIO,
            f"{endpoint.SCALED_WORKERS} workers answer {run.throughput_ratio():.2f}x the requests "
            f"per second of one (target at least {endpoint.TARGET_THROUGHPUT_RATIO}x; the bare "
            f"app's {run.throughput_ratio('bare'):.2f}x is what this machine gave a second "
            "worker just then)",
        ),
        (
            run.peak_memory_mb < endpoint.TARGET_PEAK_MEMORY_MB,
            f"peak memory of a worker {run.peak_memory_mb:.0f} MB "
            f"(target under {endpoint.TARGET_PEAK_MEMORY_MB:.0f} MB)",
        ),
    ]
    for met, line in checks:
        print(f"  {line}{'' if met else '  (target missed)'}", flush=True)
    print(sealing_lag.describe(sealing_lag.sealing_lag(database, appended_after)), flush=True)
    return all(met for met, _ in checks) and not any(f.errors for f in run.figures)


def _report_import(backends: tuple[str, ...], rows: int) -> int:
    healthy = True
    for backend in backends:
        print(f"{backend}: import of {rows:,} lines per file", flush=True)
        print(
            f"  {'file':<14} {'lines':>8} {'brought in':>10} {'seconds':>8} {'lines/s':>8} "
            f"{'CPU s':>6}"
        )
        for timing in imports.run(backend, rows=rows):
            within = timing.seconds < imports.TARGET_SECONDS * timing.lines / imports.TARGET_LINES
            healthy &= within
            print(
                f"  {timing.step:<14} {timing.lines:>8,} {timing.brought_in:>10,} "
                f"{timing.seconds:>8.1f} {timing.per_second:>8,.0f} {timing.cpu_seconds:>6.1f}"
                f"{'' if within else '  (slower than the target)'}",
                flush=True,
            )
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
