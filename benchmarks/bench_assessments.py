"""Benchmark (not a test) of the threat assessment's analysis: prints the wall time of :func:`analyse`.

Synthetic score sheets (random classes, seeded; never stored or shipped) for S scenarios and A analysts
under the NRB 2009 method: consensus, impacts and ranks under every weight set, resampling sensitivity
with I iterations, ± one class sensitivity and the diagram points. Usage::

    .venv/bin/python benchmarks/bench_assessments.py [--scenarios 6] [--analysts 7] [--iterations 1000]
"""

from __future__ import annotations

import argparse
import random
import time

from gbvs.assessments import load_method
from gbvs.assessments.analysis import ScoredScenario, analyse
from gbvs.assessments.scoring import Sheet


def _sheets(scenarios: int, analysts: int, seed: int) -> list[ScoredScenario]:
    method = load_method("nrb_2009")
    rng = random.Random(seed)
    impact, likelihood = method.impact_scale.codes(), method.likelihood_scale("threat").codes()
    return [
        ScoredScenario(
            number,
            str(number),
            f"scenario {number}",
            number % 6 + 1,
            "threat",
            [
                Sheet(
                    f"a{a}", rng.choice(likelihood), {c: rng.choice(impact) for c in method.criterion_ids()}
                )
                for a in range(analysts)
            ],
        )
        for number in range(1, scenarios + 1)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", type=int, default=6)
    parser.add_argument("--analysts", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=1000)
    args = parser.parse_args()
    method = load_method("nrb_2009")
    for scenarios in sorted({args.scenarios, 60}):
        scored = _sheets(scenarios, args.analysts, seed=1)
        start = time.perf_counter()
        analyse(method, scored, iterations=args.iterations, seed=0)
        seconds = time.perf_counter() - start
        print(
            f"analyse: {scenarios} scenarios x {args.analysts} analysts, "
            f"{len(method.weight_sets)} weight sets, "
            f"{args.iterations} resampling iterations: {seconds:.2f} s"
        )


if __name__ == "__main__":
    main()
