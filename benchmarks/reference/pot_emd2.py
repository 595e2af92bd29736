"""Times POT's exact OT (ot.emd2, network simplex in C++) on the sizes of `jko bench transport`.

Two independent N(0, I_2) clouds of n points, uniform weights, squared Euclidean cost;
the cost matrix is built before the clock starts (as in the Swift benchmark). One thread
(POT's emd is single-threaded; numthreads=1 is passed explicitly). Best of a few runs.

    python3 benchmarks/reference/pot_emd2.py            # n = 1000, 2000, 4000, then 2000x1999, 4000x3000
    python3 benchmarks/reference/pot_emd2.py 500 1000   # other sizes
    python3 benchmarks/reference/pot_emd2.py 2000x1999  # unequal sizes (uniform weights 1/n and 1/m)
    python3 benchmarks/reference/pot_emd2.py --save /tmp/clouds 4000
        # also writes x-4000.npy, y-4000.npy there, so that
        # `time jko distance /tmp/clouds/x-4000.npy /tmp/clouds/y-4000.npy` solves the very
        # same problem (its time includes reading the files and the cost matrix);
        # an unequal case NxM writes x-NxM.npy and y-NxM.npy

The unequal clouds are drawn from their own generator (seed 2025, x then y), the same in
`jko bench transport`'s `exact_w2_NxM` cases only in distribution; to compare values,
solve the saved files with `jko distance` (it prints W2; compare to 1e-9).
"""
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import ot  # noqa: E402


def main() -> None:
    args = sys.argv[1:]
    save = None
    if args[:1] == ["--save"]:
        save, args = args[1], args[2:]
        os.makedirs(save, exist_ok=True)
    sizes = args or ["1000", "2000", "4000", "2000x1999", "4000x3000"]
    rng = np.random.default_rng(2024)
    print(f"POT {ot.__version__}, numpy {np.__version__}")
    for size in sizes:
        if "x" in size:
            n, m = (int(t) for t in size.split("x"))
            unequal = np.random.default_rng(2025)
            x = unequal.standard_normal((n, 2))
            y = unequal.standard_normal((m, 2))
        else:
            n = m = int(size)
            x = rng.standard_normal((n, 2))
            y = rng.standard_normal((n, 2))
        a = np.full(n, 1.0 / n)
        b = np.full(m, 1.0 / m)
        if save:
            np.save(os.path.join(save, f"x-{size}.npy"), x)
            np.save(os.path.join(save, f"y-{size}.npy"), y)
        m = ot.dist(x, y)  # squared Euclidean
        repeats = 1 if n >= 4000 else (2 if n >= 2000 else 3)
        best = float("inf")
        value = float("nan")
        for _ in range(repeats):
            start = time.perf_counter()
            value = ot.emd2(a, b, m, numItermax=10_000_000, numThreads=1)
            best = min(best, time.perf_counter() - start)
        print(f"emd2 {size}: {best:.3f} s (best of {repeats}), W2 = {np.sqrt(value):.12f}")


if __name__ == "__main__":
    main()
