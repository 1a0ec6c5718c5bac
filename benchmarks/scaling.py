"""The scaling table: each benchmark's figures at 100,000 and 1,000,000 persons side by side,
with how much each grew, so that a regression in growth shows even when both sizes meet their
targets."""

# Per kind of figure (e.g. "search p95 ms"), per row (e.g. "surname"), the value at one size.
Figures = dict[str, dict[str, float]]

SCALING_PERSONS = (100_000, 1_000_000)


def print_scaling(backend: str, by_size: dict[int, Figures]) -> None:
    sizes = [persons for persons in SCALING_PERSONS if persons in by_size]
    if len(sizes) < 2:
        return
    for kind in dict.fromkeys(kind for persons in sizes for kind in by_size[persons]):
        print(f"{backend}: {kind} by persons (ten meetings each)")
        header = "".join(f"{persons:>12,}" for persons in sizes)
        print(f"  {'':<36}{header}{'growth':>9}")
        rows = dict.fromkeys(row for persons in sizes for row in by_size[persons].get(kind, {}))
        for row in rows:
            values = [by_size[persons].get(kind, {}).get(row) for persons in sizes]
            cells = "".join(f"{'-':>12}" if v is None else f"{v:>12.2f}" for v in values)
            first, last = values[0], values[-1]
            growth = f"{last / first:>8.1f}x" if first and last is not None else f"{'-':>9}"
            print(f"  {row:<36}{cells}{growth}", flush=True)
