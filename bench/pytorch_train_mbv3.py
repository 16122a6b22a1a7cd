#!/usr/bin/env python3
"""PyTorch peer of `nas bench train --space mbv3`: the training step of one discrete subnet of the mbv3 space.

Network (as archway.spaces.mbv3.Mbv3Network.discrete, docs/MBV3.md): 3x3 stride-2 stem (16) + BN + h-swish;
a first block (3x3 depthwise + BN + ReLU, 1x1 + BN, residual); five stages (widths 24 40 80 112 160, first
strides 2 2 2 1 2, ReLU ReLU h-swish h-swish h-swish, squeeze-excite in stages 2, 4, 5) of 2-4 inverted
residual layers (1x1 expand + BN + act, kxk depthwise + BN + act, optional SE: pool, linear + ReLU, linear +
h-sigmoid, scale; 1x1 project + BN; residual where stride 1 and widths match); head: 1x1 to 960 + BN + h-swish,
global average pool, bias-free linear 960 -> 1280 + h-swish, linear classifier. Convolutions have no bias,
padding k/2. The subnet is the OFA-style JSON {"ks": [20 kernels], "e": [20 expands], "d": [5 depths]}.

Recipe and loop as bench/pytorch_train_nb201.py --bench: SGD Nesterov momentum 0.9, weight decay 5e-4,
gradient-norm clip 5, one random batch, K timed steps after W warm-up steps. Prints one JSON object with
images/s, s/step, peak RSS and the parameter count (Archway's `nas bench train` reports the same count).
"""
import argparse
import json
import resource

import torch
import torch.nn as nn
import torch.nn.functional as F

from pytorch_train_nb201 import time_steps  # the same timed loop as the NB201 peer (this script's folder)

STEM = 16
WIDTHS = [24, 40, 80, 112, 160]
FIRST_STRIDES = [2, 2, 2, 1, 2]
ACTS = ["relu", "relu", "hswish", "hswish", "hswish"]
SE = [False, True, False, True, True]
HEAD = 960
FEATURES = 1280
SLOTS = 4
LARGEST = json.dumps({"ks": [7] * 20, "e": [6] * 20, "d": [4] * 5})


def make_divisible(v):
    """OFA's make_divisible(v, 8), as Mbv3Space.makeDivisible."""
    rounded = max(8, int(v + 4) // 8 * 8)
    return rounded + 8 if rounded < 0.9 * v else rounded


def act(kind):
    return nn.ReLU() if kind == "relu" else nn.Hardswish()


def conv_bn(cin, cout, k, stride, groups):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout))


class SqueezeExcite(nn.Module):
    def __init__(self, mid):
        super().__init__()
        r = make_divisible(mid / 4.0)
        self.reduce = nn.Linear(mid, r)
        self.expand = nn.Linear(r, mid)

    def forward(self, x):
        z = x.mean((2, 3))
        z = F.hardsigmoid(self.expand(F.relu(self.reduce(z))))
        return x * z[:, :, None, None]


class Layer(nn.Module):
    def __init__(self, cin, cout, stride, k, e, kind, se):
        super().__init__()
        mid = make_divisible(cin * e)
        parts = [conv_bn(cin, mid, 1, 1, 1), act(kind), conv_bn(mid, mid, k, stride, mid), act(kind)]
        if se:
            parts.append(SqueezeExcite(mid))
        parts.append(conv_bn(mid, cout, 1, 1, 1))
        self.body = nn.Sequential(*parts)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class Net(nn.Module):
    def __init__(self, arch, in_ch, classes):
        super().__init__()
        ks, es, ds = arch["ks"], arch["e"], arch["d"]
        self.stem = nn.Sequential(conv_bn(in_ch, STEM, 3, 2, 1), nn.Hardswish())
        self.first = nn.Sequential(conv_bn(STEM, STEM, 3, 1, STEM), nn.ReLU(), conv_bn(STEM, STEM, 1, 1, 1))
        layers, cin = [], STEM
        for s in range(5):
            for l in range(ds[s]):
                layers.append(Layer(cin, WIDTHS[s], FIRST_STRIDES[s] if l == 0 else 1, ks[s * SLOTS + l],
                                    es[s * SLOTS + l], ACTS[s], SE[s]))
                cin = WIDTHS[s]
        self.layers = nn.Sequential(*layers)
        self.head = nn.Sequential(conv_bn(cin, HEAD, 1, 1, 1), nn.Hardswish())
        self.features = nn.Linear(HEAD, FEATURES, bias=False)
        self.classifier = nn.Linear(FEATURES, classes)

    def forward(self, x):
        h = self.stem(x)
        h = h + self.first(h)
        h = self.head(self.layers(h)).mean((2, 3))
        return self.classifier(F.hardswish(self.features(h)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default=LARGEST)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    # Accepted for a common command line with bench/pytorch_train_nb201.py; the mbv3 space has no C / N.
    ap.add_argument("--C", type=int, default=None)
    ap.add_argument("--N", type=int, default=None)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    net = Net(json.loads(a.arch), a.channels, a.classes)
    dt = time_steps(net, a)
    print(json.dumps({"peer": "pytorch-" + torch.__version__, "mode": "bench", "space": "mbv3", "arch": a.arch,
                      "batch": a.batch, "size": a.size, "in_channels": a.channels, "threads": a.threads,
                      "steps": a.steps, "sec_per_step": dt / a.steps, "images_per_s": a.batch * a.steps / dt,
                      "params": sum(p.numel() for p in net.parameters()),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
