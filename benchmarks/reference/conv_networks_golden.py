"""Golden values of Tests/NeuralNetworksTests/ConvNetworkTests.testConvNetworksMatchPyTorch.

PyTorch modules with the parameter names of JKOKit's ConvMap / ConvPotential (so a JKOKit
checkpoint loads with `load_state_dict`). Inputs: /tmp/conv.safetensors (the seeded Double
networks of the test, written with `Checkpoint`), /tmp/conv_x.npy and /tmp/conv_z.npy
(the test's inputs, written with `NPYArray`). Prints the values the test asserts.
"""
import json, struct, math, numpy as np, torch
from torch import nn
import torch.nn.functional as F
torch.set_printoptions(precision=17)
class Cond(nn.Module):
    def __init__(s, e, c): super().__init__(); s.dense = nn.Linear(e, 2 * c)
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
class Map(nn.Module):
    def __init__(s, c, nz, e, g):
        super().__init__()
        s.embedding = nn.Sequential(nn.Linear(nz, e), nn.SiLU(), nn.Linear(e, e)); s.input = nn.Conv2d(1, c, 3, padding=1)
        s.down = Block(c, c, g, e); s.middle = Block(c, 2 * c, g, e); s.up = Block(2 * c, c, g, e)
        s.outputNorm = nn.GroupNorm(g, c); s.output = nn.Conv2d(c, 1, 3, padding=1)
    def forward(s, x, z):
        e = s.embedding(z); h = F.avg_pool2d(s.input(x), 2); h = F.avg_pool2d(s.down(h, e), 2)
        h = F.interpolate(s.middle(h, e), scale_factor=2, mode='nearest')
        h = F.interpolate(s.up(h, e), scale_factor=2, mode='nearest')
        return s.output(F.silu(s.outputNorm(h)))
class Pot(nn.Module):
    def __init__(s, c, g):
        super().__init__()
        s.input = nn.Conv2d(1, c, 3, padding=1); s.first = Block(c, c, g); s.second = Block(c, 2 * c, g)
        s.outputNorm = nn.GroupNorm(g, 2 * c); s.output = nn.Linear(2 * c, 1)
    def forward(s, y):
        h = F.avg_pool2d(s.input(y), 2); h = s.second(F.avg_pool2d(s.first(h), 2))
        return s.output(F.silu(s.outputNorm(h)).mean(dim=(2, 3))).squeeze(-1)
b = open('/tmp/conv.safetensors', 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8 + n]); d = b[8 + n:]
def sd(prefix):
    out = {}
    for k, v in h.items():
        if k.startswith(prefix + '.'):
            s0, e = v['data_offsets']; out[k[len(prefix) + 1:]] = torch.from_numpy(np.frombuffer(d[s0:e], dtype='<f8').reshape(v['shape']).copy())
    return out
T = Map(8, 3, 6, 4).double(); T.load_state_dict(sd('map'))
v = Pot(8, 4).double(); v.load_state_dict(sd('potential'))
x = torch.from_numpy(np.load('/tmp/conv_x.npy')).reshape(2, 1, 8, 8); z = torch.from_numpy(np.load('/tmp/conv_z.npy'))
t = T(x, z).flatten()
print('TORCH T', t[:3].tolist(), t[64:67].tolist(), t.sum().item(), 'v', v(x).tolist())
