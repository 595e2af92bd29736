"""One S-JKO toy iteration in PyTorch on the CPU: the reference for `jko bench engine`.

The same work as JKOKit's engine benchmark (a): the DESIGN.md §1.3 toy networks in
float32, batch 400, KL conjugate Ψ*(t) = eᵗ − 1, one potential step and one map step:

    L_v = E_y[Ψ*(−v(y))] + E[v(T(x, z))]                       (T frozen)
    L_T = E[|T_old(x, z) − T(x, z')|² / (2h) − v(T(x, z'))]      (v frozen)

with Adam β = (0.5, 0.9), learning rates 1e-4 (map) and 2e-5 (potential), h = 1.
Frozen networks run without recording gradients for their parameters, as a PyTorch user
would write it; v runs once on the joined batch [y; T(x, z)] of the potential step (the
Swift iteration does the same, so both do identical arithmetic). Prints iterations per
second (best of `--repeats` timed blocks).

Usage: python3 benchmarks/reference/sjko_toy_iteration.py [--threads 2] [--iterations 100]
Needs `pip install torch` (not part of the package or its tests).
"""
import argparse
import copy
import math
import time

import torch
from torch import nn

WIDTH = 128


class Trunk(nn.Module):
    """Input Linear to width 128, then 3 blocks of 3×[Linear, SiLU], h ← (h + block(h))/√2."""

    def __init__(self, dim):
        super().__init__()
        self.input = nn.Linear(dim, WIDTH)
        self.blocks = nn.ModuleList(
            nn.Sequential(*[m for _ in range(3) for m in (nn.Linear(WIDTH, WIDTH), nn.SiLU())])
            for _ in range(3))

    def forward(self, x):
        h = self.input(x)
        for block in self.blocks:
            h = (h + block(h)) / math.sqrt(2)
        return h


def head(out_dim):
    return nn.Sequential(nn.Linear(WIDTH, WIDTH), nn.SiLU(), nn.Linear(WIDTH, out_dim))


class ToyMap(nn.Module):
    """T(x, z) = head(trunk(x) + noise(z)), noise = Linear(2,128)-SiLU-Linear(128,128)."""

    def __init__(self, dim=2, noise_dim=2):
        super().__init__()
        self.trunk = Trunk(dim)
        self.noise = nn.Sequential(nn.Linear(noise_dim, WIDTH), nn.SiLU(), nn.Linear(WIDTH, WIDTH))
        self.head = head(dim)

    def forward(self, x, z):
        return self.head(self.trunk(x) + self.noise(z))


class ToyPotential(nn.Module):
    """v(y) = head(trunk(y)) with a scalar output."""

    def __init__(self, dim=2):
        super().__init__()
        self.trunk = Trunk(dim)
        self.head = head(1)

    def forward(self, y):
        return self.head(self.trunk(y)).squeeze(-1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=400)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    dim, h, batch = 2, 1.0, args.batch
    T, v = ToyMap(dim), ToyPotential(dim)
    T_old = copy.deepcopy(T).requires_grad_(False)
    opt_T = torch.optim.Adam(T.parameters(), lr=1e-4, betas=(0.5, 0.9))
    opt_v = torch.optim.Adam(v.parameters(), lr=2e-5, betas=(0.5, 0.9))
    centers = torch.tensor([[4.0 * math.cos(k * math.pi / 4), 4.0 * math.sin(k * math.pi / 4)] for k in range(8)])

    def iteration():
        x = torch.randn(batch, dim)
        y = centers[torch.randint(0, 8, (batch,))] + 0.5 * torch.randn(batch, dim)
        # Potential step: T frozen.
        z = torch.randn(batch, dim)
        with torch.no_grad():
            moved = T(x, z)
        values = v(torch.cat([y, moved]))  # one pass of v over both sample sets
        loss_v = torch.expm1(-values[:batch]).mean() + values[batch:].mean()
        opt_v.zero_grad(set_to_none=True)
        loss_v.backward()
        opt_v.step()
        # Map step: v frozen.
        z, z2 = torch.randn(batch, dim), torch.randn(batch, dim)
        with torch.no_grad():
            target = T_old(x, z)
        v.requires_grad_(False)
        out = T(x, z2)
        loss_T = (((target - out) ** 2).sum(dim=1) / (2 * h) - v(out)).mean()
        opt_T.zero_grad(set_to_none=True)
        loss_T.backward()
        opt_T.step()
        v.requires_grad_(True)
        return loss_v.item(), loss_T.item()

    for _ in range(args.warmup):
        iteration()
    best = 0.0
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.iterations):
            iteration()
        best = max(best, args.iterations / (time.perf_counter() - start))
    print(f"torch {torch.__version__}, {args.threads} threads, batch {batch}: {best:.1f} it/s "
          f"({1000 / best:.1f} ms per iteration, best of {args.repeats} x {args.iterations})")


if __name__ == "__main__":
    main()
