"""Rake 100,000 respondents on four margins (age × sex × education × region) and print time and convergence.

Goal: under 5 s. The sample is drawn with a known bias (too many women, older and higher educated
respondents, too few in one region) so that raking has work to do.

    .venv/bin/python benchmarks/bench_raking.py [--respondents 100000] [--trim 0.3 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gbvs.opinion.weighting import Margin, Trim, rake, weight_report

MARGINS = {
    "sex": {"man": 0.49, "vrouw": 0.51},
    "age": {"18-34": 0.27, "35-49": 0.24, "50-64": 0.26, "65+": 0.23},
    "education": {"laag": 0.30, "middelbaar": 0.40, "hoog": 0.30},
    "region": {"noord": 0.10, "oost": 0.21, "west": 0.48, "zuid": 0.21},
}
SAMPLE_BIAS = {
    "sex": [0.42, 0.58],
    "age": [0.15, 0.22, 0.33, 0.30],
    "education": [0.18, 0.37, 0.45],
    "region": [0.14, 0.25, 0.38, 0.23],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--trim", type=float, nargs=2, metavar=("LOWER", "UPPER"), default=(0.3, 3.0))
    args = parser.parse_args()
    rng = np.random.default_rng(2017)
    codes = {
        name: rng.choice(list(targets), size=args.respondents, p=SAMPLE_BIAS[name]).tolist()
        for name, targets in MARGINS.items()
    }
    margins = [Margin(name, codes[name], MARGINS[name]) for name in MARGINS]
    for label, trim in (("no trimming", None), (f"trim {args.trim[0]}-{args.trim[1]}", Trim(*args.trim))):
        start = time.perf_counter()
        result = rake(margins, trim=trim)
        seconds = time.perf_counter() - start
        report = weight_report(result.weights)
        print(
            f"{label}: {args.respondents:,} respondents, 4 margins: {seconds:.2f} s, "
            f"{result.iterations} iterations, converged={result.converged}, "
            f"max margin error={result.max_margin_error:.1e}, "
            f"weights {report.minimum:.2f}-{report.maximum:.2f}, "
            f"design effect {report.design_effect:.2f}, effective n {report.effective_n:,.0f} "
            f"(goal < 5 s: {'met' if seconds < 5 else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
