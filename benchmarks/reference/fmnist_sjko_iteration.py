"""PyTorch CPU reference for `jko bench engine` (fmnist_ms_per_iteration_batch64/128).

The fashion-mnist preset's networks (JKOKit ImageMap / ImagePotential, same parameter
names, so a JKOKit sampler checkpoint loads with load_state_dict) and one S-JKO training
iteration exactly as SJKOTrainingPair runs it: the potential step
    L_v = E_y[softplus*(-v(y))] + E[v(T(x, z0))] + (0.2/2) E_y |grad v(y)|^2
then the map step
    L_T = E[|T_old(x, z1) - T(x, z)|^2 / (2 h d) - v(T(x, z))],  h = 1, d = 784,
both with Adam(beta = (0.5, 0.9)), batch n prior images x ~ N(0, I) and n data images
y ~ U[-1, 1]. Softplus conjugate: Psi*(t) = 2 softplus(t) - 2 softplus(0).

    pip install torch numpy      (CPU wheel: pip install torch --index-url https://download.pytorch.org/whl/cpu)
    python3 benchmarks/reference/fmnist_sjko_iteration.py [--threads 2]

Prints ms per iteration (best of 3 blocks) at batch 64 and 128, and sampling images/s.
"""
import argparse, math, time
import torch
from torch import nn
import torch.nn.functional as F


class Cond(nn.Module):
    def __init__(s, e, c):
        super().__init__(); s.dense = nn.Linear(e, 2 * c)
        nn.init.zeros_(s.dense.weight); nn.init.zeros_(s.dense.bias)


class Block(nn.Module):
    def __init__(s, cin, cout, g, emb=0):
        super().__init__()
        s.norm1 = nn.GroupNorm(g, cin); s.conv1 = nn.Conv2d(cin, cout, 3, padding=1); s.norm2 = nn.GroupNorm(g, cout)
        if emb: s.conditioning = Cond(emb, cout)
        s.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        if cin != cout: s.skip = nn.Conv2d(cin, cout, 1)

    def forward(s, x, e=None):
        h = s.norm2(s.conv1(F.silu(s.norm1(x))))
        if hasattr(s, 'conditioning'):
            st = s.conditioning.dense(e); C = h.shape[1]
            h = h * (1 + st[:, :C, None, None]) + st[:, C:, None, None]
        h = s.conv2(F.silu(h))
        return ((s.skip(x) if hasattr(s, 'skip') else x) + h) / math.sqrt(2)


class MLP(nn.Module):
    def __init__(s, i, h, o):
        super().__init__(); s.first = nn.Linear(i, h); s.second = nn.Linear(h, o)

    def forward(s, x): return s.second(F.silu(s.first(x)))


class ImageMap(nn.Module):
    """U-Net with additive skips; widths w_0..w_{L-1}, one block per level (ImageMap.swift)."""
    def __init__(s, c=1, widths=(16, 32, 32), latent=32, emb=64, g=8):
        super().__init__()
        s.widths = widths
        s.mapping = MLP(latent, emb, emb); s.input = nn.Conv2d(c, widths[0], 3, padding=1)
        s.down = nn.ModuleList([nn.ModuleList([Block(widths[max(i - 1, 0)], w, g, emb)]) for i, w in enumerate(widths)])
        s.middle = Block(widths[-1], widths[-1], g, emb)
        s.up = nn.ModuleList([nn.ModuleList([Block(w, widths[max(i - 1, 0)], g, emb)]) for i, w in enumerate(widths)])
        s.outputNorm = nn.GroupNorm(g, widths[0]); s.output = nn.Conv2d(widths[0], c, 3, padding=1)

    def forward(s, x, z):
        e = s.mapping(z); h = s.input(x); skips = []
        for i in range(len(s.widths)):
            for b in s.down[i]: h = b(h, e)
            skips.append(h)
            if i < len(s.widths) - 1: h = F.avg_pool2d(h, 2)
        h = s.middle(h, e)
        for i in reversed(range(len(s.widths))):
            h = (h + skips[i]) / math.sqrt(2)
            for b in s.up[i]: h = b(h, e)
            if i > 0: h = F.interpolate(h, scale_factor=2, mode='nearest')
        return s.output(F.silu(s.outputNorm(h)))


class ImagePotential(nn.Module):
    def __init__(s, c=1, widths=(16, 32, 32), g=8):
        super().__init__()
        s.widths = widths
        s.input = nn.Conv2d(c, widths[0], 3, padding=1)
        s.levels = nn.ModuleList([nn.ModuleList([Block(widths[max(i - 1, 0)], w, g)]) for i, w in enumerate(widths)])
        s.outputNorm = nn.GroupNorm(g, widths[-1]); s.output = nn.Linear(widths[-1], 1)

    def forward(s, y):
        h = s.input(y)
        for i in range(len(s.widths)):
            for b in s.levels[i]: h = b(h)
            if i < len(s.widths) - 1: h = F.avg_pool2d(h, 2)
        return s.output(F.silu(s.outputNorm(h)).mean(dim=(2, 3))).reshape(-1)


def conjugate(t): return 2 * F.softplus(t) - 2 * math.log(2)


def iteration(T, T_old, v, opt_T, opt_v, n, latent=32, r1=0.2, scale=1 / (2 * 784)):
    x = torch.randn(n, 1, 28, 28); y = (torch.rand(n, 1, 28, 28) * 2 - 1).requires_grad_(True)
    z0, z1, z = torch.randn(n, latent), torch.randn(n, latent), torch.randn(n, latent)
    with torch.no_grad():
        previous = T_old(x, z1); moved = T(x, z0)
    values = v(torch.cat([y, moved]))
    loss_v = conjugate(-values[:n]).mean() + values[n:].mean()
    g, = torch.autograd.grad(v(y).sum(), y, create_graph=True)
    loss_v = loss_v + r1 / 2 * g.pow(2).reshape(n, -1).sum(1).mean()
    opt_v.zero_grad(); loss_v.backward(); opt_v.step()
    out = T(x, z)
    loss_T = ((previous - out).pow(2).reshape(n, -1).sum(1) * scale - v(out)).mean()
    opt_T.zero_grad(); loss_T.backward(); opt_T.step()
    return loss_v.item(), loss_T.item()


def main():
    parser = argparse.ArgumentParser(); parser.add_argument('--threads', type=int, default=2); args = parser.parse_args()
    torch.set_num_threads(args.threads); torch.manual_seed(0)
    for n in (64, 128):
        T, v = ImageMap(), ImagePotential(); T_old = ImageMap(); T_old.load_state_dict(T.state_dict())
        opt_T = torch.optim.Adam(T.parameters(), lr=5e-4, betas=(0.5, 0.9)); opt_v = torch.optim.Adam(v.parameters(), lr=2.5e-4, betas=(0.5, 0.9))
        iteration(T, T_old, v, opt_T, opt_v, n)
        best = float('inf')
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(3): iteration(T, T_old, v, opt_T, opt_v, n)
            best = min(best, (time.perf_counter() - start) / 3)
        print(f"fmnist_ms_per_iteration_batch{n} {best * 1e3:.1f} ms ({2 * n / best:.0f} training images/s), {args.threads} threads")
    with torch.no_grad():
        best = float('inf')
        for _ in range(3):
            start = time.perf_counter(); T(torch.randn(1024, 1, 28, 28), torch.randn(1024, 32)); best = min(best, time.perf_counter() - start)
    print(f"fmnist_sampling_images_per_second {1024 / best:.0f}")


if __name__ == '__main__':
    main()
