"""The create-time-against-resource-count plot of a benchmark run (PNG, matplotlib)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# Scenarios with one create of a known number of resources: (x = resources, y = create_s).
_SIZED = re.compile(r"^(independent|flat)_(\d+)$|^tree_(\d+)x(\d+)$|^chain_(\d+)$")
SERIES = {
    "upstream": ("upstream Heat 27.0.1", "tab:red"),
    "upstream_nosleep": ("upstream, pause removed", "tab:orange"),
    "upstream_mariadb": ("upstream on MariaDB", "tab:purple"),
    "ours": ("heat-temporal", "tab:blue"),
}
SHAPES = {"flat": "o", "tree": "s", "chain": "^"}


def resources_of(name: str, metrics: dict[str, Any]) -> tuple[str, int] | None:
    """(shape, resource count) of a sized scenario, None for the others."""
    match = _SIZED.match(name)
    if not match:
        return None
    if match.group(3):
        return "tree", int(match.group(3)) * (int(match.group(4)) + 1)
    if match.group(5):
        return "chain", int(match.group(5))
    return "flat", int(metrics.get("resources") or match.group(2))


def create_points(results: dict[str, Any]) -> dict[str, list[tuple[str, int, float]]]:
    """Per target: (shape, resources, create seconds) of every scenario whose create finished."""
    points: dict[str, list[tuple[str, int, float]]] = {}
    for target, record in results["targets"].items():
        for name, scenario in (record.get("scenarios") or {}).items():
            metrics = scenario.get("metrics") or {}
            sized = resources_of(name, metrics)
            if sized is None or not isinstance(metrics.get("create_s"), int | float):
                continue
            points.setdefault(target, []).append((*sized, float(metrics["create_s"])))
    return {t: sorted(p, key=lambda x: x[1]) for t, p in points.items()}


def write_plot(results: dict[str, Any], path: Path) -> bool:
    """Draw the plot to path; False when matplotlib is missing or nothing was measured."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    points = create_points(results)
    if not points:
        return False
    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    for target, rows in points.items():
        label, colour = SERIES.get(target, (target, "tab:gray"))
        for shape, marker in SHAPES.items():
            mine = [(n, s) for kind, n, s in rows if kind == shape]
            if not mine:
                continue
            xs, ys = zip(*mine, strict=True)
            style = "-" if shape == "flat" else ":"
            ax.plot(xs, ys, style, marker=marker, color=colour, label=f"{label}, {shape}")
    m = results.get("machine", {})
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("resources in the stack (tree: nested stacks and their resources)")
    ax.set_ylabel("create time, POST to CREATE_COMPLETE (s)")
    ax.set_title(
        f"Create time vs resources, OS::Heat::None ({m.get('nproc')} CPUs, "
        f"{m.get('cpu_model')}, run {results.get('run_id')})",
        fontsize=9,
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return True
