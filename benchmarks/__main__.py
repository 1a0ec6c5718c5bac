"""`python -m benchmarks search|endpoint|jobs|all [--persons N] [--meetings M] [--backend B]
[--fresh] [--scaling]`, `python -m benchmarks register-end [--persons N] [--meetings M]
[--backend B]`, and `python -m benchmarks import [--rows N] [--backend B]`."""

import argparse
import sys
import tempfile
import time
from datetime import datetime
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks import endpoint, imports, jobs, register_end, sealing_lag, search
from benchmarks.fill import BACKENDS, FILLED_ON, filled_database
from benchmarks.scaling import SCALING_PERSONS, Figures, print_scaling
from storage.db import Database

# The jobs run on the morning of the day the register was filled for, in the agency's zone.
JOBS_MOMENT = datetime.combine(FILLED_ON, time_of_day(8, 0), tzinfo=ZoneInfo("Europe/Helsinki"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "benchmark", choices=("search", "endpoint", "jobs", "all", "import", "register-end")
    )
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--meetings", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--samples", type=int, default=search.SAMPLES)
    parser.add_argument("--requests", type=int, default=endpoint.REQUESTS_PER_CLIENT)
    parser.add_argument("--rows", type=int, default=100_000, help="import: lines per file")
    parser.add_argument(
        "--fresh", action="store_true", help="fill the cached register of this size again"
    )
    parser.add_argument(
        "--scaling",
        action="store_true",
        help="also run at 100,000 and 1,000,000 persons (ten meetings each) and print how "
        "each figure grows",
    )
    arguments = parser.parse_args(argv)
    backends = BACKENDS if arguments.backend == "both" else (arguments.backend,)
    if arguments.benchmark == "import":
        return _report_import(backends, arguments.rows)
    sizes = [(arguments.persons, arguments.meetings)]
    if arguments.scaling:
        sizes += [
            (persons, persons * 10)
            for persons in SCALING_PERSONS
            if (persons, persons * 10) not in sizes
        ]
    healthy = True
    for backend in backends:
        by_size: dict[int, Figures] = {}
        for persons, meetings in sizes:
            figures, fine = _report_size(backend, persons, meetings, arguments)
            healthy &= fine
            if meetings == persons * 10:
                by_size[persons] = figures
        if arguments.scaling:
            print_scaling(backend, by_size)
    return 0 if healthy else 1


def _report_size(
    backend: str, persons: int, meetings: int, arguments: argparse.Namespace
) -> tuple[Figures, bool]:
    """Runs the benchmarks asked for at one size; their figures by kind, and whether every
    target was met."""
    figures: Figures = {}
    healthy = True
    kind = arguments.benchmark
    started = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix="register-bench-ledger-") as folder,
        filled_database(
            backend,
            persons=persons,
            meetings=meetings,
            fresh=arguments.fresh,
            ledger=Path(folder) / "erasure-ledger.jsonl",
        ) as database,
    ):
        print(
            f"{backend}: {persons:,} persons, {meetings:,} meetings "
            f"ready in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        if kind in ("search", "all"):
            healthy &= _report_search(database, arguments.samples, figures)
        if kind in ("endpoint", "all"):
            healthy &= _report_endpoint(database, arguments.samples, arguments.requests, figures)
        if kind in ("jobs", "all"):
            ledger = Path(folder) / "erasure-ledger.jsonl"
            healthy &= _report_jobs(database, ledger, figures)
        if kind == "register-end":  # last: it erases the copy
            healthy &= _report_register_end(database, Path(folder))
    return figures, healthy


def _report_search(database: Database, samples: int, figures: Figures) -> bool:
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
        figures.setdefault("search p95 ms", {})[timing.kind] = timing.p95_ms
    return healthy


def _report_jobs(database: Database, ledger: Path, figures: Figures) -> bool:
    healthy = True
    print(
        f"  scheduled jobs, target under {jobs.TARGET_SECONDS:.0f} s each "
        "(the run: claim, decide, commit, deliver to Slack's double):\n"
        f"  {'job':<18} {'queries s':>9} {'run s':>7} {'statements':>10}  full scans  summary"
    )
    for timing in jobs.run(database, ledger=ledger, today=JOBS_MOMENT):
        # A full scan is shown, not failed: for an anti-join over a small register, hashing a
        # whole table is the planner's cheaper choice; what must hold is the time.
        healthy &= timing.within_target
        scans = "; ".join(timing.full_scans) or "none"
        print(
            f"  {timing.job:<18} {timing.query_seconds:>9.2f} {timing.run_seconds:>7.2f} "
            f"{timing.statements:>10}  {scans:<10}  {timing.summary[:100]}"
            f"{'' if timing.within_target else '  (over the target)'}",
            flush=True,
        )
        figures.setdefault("job run s", {})[timing.job] = timing.run_seconds
    return healthy


def _report_register_end(database: Database, folder: Path) -> bool:
    done = register_end.run(database, ledger=folder / "erasure-ledger.jsonl", folder=folder)
    print(
        "  the end of the agency's service, `python -m bot agencies export|erase` as a process "
        f"(target: peak memory under {register_end.TARGET_PEAK_MB:.0f} MB):\n"
        f"  {'step':<8} {'seconds':>8} {'peak MB':>8}  said"
    )
    for step in (done.export, done.erase):
        print(
            f"  {step.step:<8} {step.seconds:>8.1f} {step.peak_mb:>8.0f}  {step.said}"
            f"{'' if step.within_target else '  (over the target)'}",
            flush=True,
        )
    print(
        f"  archive {done.archive_mb:.0f} MB; erasure ledger {done.ledger_lines:,} lines",
        flush=True,
    )
    return done.export.within_target and done.erase.within_target


def _report_endpoint(database: Database, samples: int, requests: int, scaled: Figures) -> bool:
    appended_after = sealing_lag.last_event_id(database)
    run = endpoint.run(database, samples=samples, per_client=requests)
    print(
        "  /asiakas through POST /slack/events (signed request in, response out):\n"
        f"  {'app':<32} {'workers':>7} {'clients':>7} {'conns':>5} {'requests':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'req/s':>7} {'peak MB':>8} {'errors':>6} {'CPU ms':>6} {'cores':>5} "
        f"{'client CPU ms':>13} {'DB CPU ms':>9}\n"
        "  (conns: kept alive, or new for each request; CPU ms: the workers' CPU time per "
        "request; cores: their CPU time over the wall time; client CPU ms: the load "
        "generator's per request; DB CPU ms: the PostgreSQL server's per request)",
        flush=True,
    )
    for figure in run.figures:
        print(
            f"  {endpoint.APP_NAMES[figure.app]:<32} {figure.workers:>7} {figure.clients:>7} "
            f"{figure.connections:>5} {figure.requests:>8} {figure.p50_ms:>8.1f} "
            f"{figure.p99_ms:>8.1f} "
            f"{figure.per_second:>7.0f} {figure.peak_memory_mb:>8.0f} {figure.errors:>6} "
            f"{figure.server_cpu_ms:>6.2f} {figure.cores_busy:>5.2f} "
            f"{figure.client_cpu_ms:>13.2f} {figure.database_cpu_ms:>9.2f}",
            flush=True,
        )
    for figure in run.figures:
        label = (
            f"{figure.app}, {figure.workers}w, {figure.clients} client(s), "
            f"{figure.connections} conns"
        )
        scaled.setdefault("endpoint p99 ms", {})[label] = figure.p99_ms
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
            "per second of one, a new connection for each request (target at least "
            f"{endpoint.TARGET_THROUGHPUT_RATIO}x; the bare "
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
