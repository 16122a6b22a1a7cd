#!/usr/bin/env python3
"""PyTorch peer of `nas train` / `nas bench train`: one discrete NAS-Bench-201 network, same recipe.

Network (as archway.spaces.nb201.Nb201Network.discrete): 3x3 stem + BN; three stages of N cells at C, 2C,
4C joined by residual reduction blocks (ReLU-Conv3x3 s2-BN, ReLU-Conv3x3-BN, shortcut AvgPool2 +
Conv1x1); BN-ReLU, global average pool, linear. Cell edges: nor_conv_kxk = ReLU-Conv-BN (affine BN),
skip_connect, avg_pool_3x3 (count_include_pad=False), none.

Recipe (nas train defaults): SGD lr 0.1 Nesterov momentum 0.9, weight decay 5e-4, cosine to 0 updated
every step, gradient-norm clip 5, batch 64, per-channel normalisation by the training set's statistics,
augmentation flip | crop | crop+flip | none (crop pads 4 pixels with zeros), evaluation every epoch.

  --train  trains on fashion-mnist-mini (the IDX files in data/) and prints test accuracy and time.
  --bench  (default) times K training steps (forward, backward, clip, SGD) on random data after W
           warm-up steps, like `nas bench train`; prints one JSON object.
"""
import argparse, gzip, json, math, os, resource, struct, time
import torch, torch.nn as nn, torch.nn.functional as F

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
BEST = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|"


def parse_arch(s):
    nodes = [n for n in s.split("+")]
    edges = {}
    for i, node in enumerate(nodes, start=1):
        for tok in node.strip("|").split("|"):
            op, j = tok.split("~")
            edges[(i, int(j))] = op
    return edges


class ReLUConvBN(nn.Sequential):
    def __init__(self, cin, cout, k, stride, pad):
        super().__init__(nn.ReLU(inplace=False), nn.Conv2d(cin, cout, k, stride, pad, bias=False), nn.BatchNorm2d(cout))


class Cell(nn.Module):
    def __init__(self, C, edges):
        super().__init__()
        self.ops = nn.ModuleDict()
        self.edges = []
        for (i, j), op in sorted(edges.items()):
            if op == "none":
                continue
            key = f"{i}_{j}"
            self.ops[key] = {"skip_connect": lambda: nn.Identity(),
                             "nor_conv_1x1": lambda: ReLUConvBN(C, C, 1, 1, 0),
                             "nor_conv_3x3": lambda: ReLUConvBN(C, C, 3, 1, 1),
                             "avg_pool_3x3": lambda: nn.AvgPool2d(3, 1, 1, count_include_pad=False)}[op]()
            self.edges.append((i, j, key))

    def forward(self, x):
        nodes = [x, None, None, None]
        for i in range(1, 4):
            acc = None
            for (ii, j, key) in self.edges:
                if ii == i and nodes[j] is not None:
                    y = self.ops[key](nodes[j])
                    acc = y if acc is None else acc + y
            nodes[i] = acc
        return nodes[3] if nodes[3] is not None else torch.zeros_like(x)


class ResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.a = ReLUConvBN(cin, cout, 3, 2, 1)
        self.b = ReLUConvBN(cout, cout, 3, 1, 1)
        self.down = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(cin, cout, 1, bias=False))

    def forward(self, x):
        return self.b(self.a(x)) + self.down(x)


class Net(nn.Module):
    def __init__(self, arch, C, N, classes, in_ch):
        super().__init__()
        edges = parse_arch(arch)
        self.stem = nn.Sequential(nn.Conv2d(in_ch, C, 3, padding=1, bias=False), nn.BatchNorm2d(C))
        layers, cprev = [], C
        for s, c in enumerate([C, 2 * C, 4 * C]):
            if s > 0:
                layers.append(ResBlock(cprev, c))
            layers += [Cell(c, edges) for _ in range(N)]
            cprev = c
        self.cells = nn.Sequential(*layers)
        self.last = nn.Sequential(nn.BatchNorm2d(cprev), nn.ReLU())
        self.classifier = nn.Linear(cprev, classes)

    def forward(self, x):
        return self.classifier(self.last(self.cells(self.stem(x))).mean((2, 3)))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = [struct.unpack(">i", data[4 + 4 * k:8 + 4 * k])[0] for k in range(magic & 0xFF)]
    off = 4 + 4 * len(dims)
    return torch.frombuffer(bytearray(data[off:]), dtype=torch.uint8).reshape(dims)


def augment(x, kind, gen):
    """x: uint8-derived float batch [B, C, H, W] (already normalised); crop pads with zeros of raw pixels."""
    if "flip" in kind:
        m = torch.rand(x.shape[0], generator=gen) < 0.5
        x = torch.where(m[:, None, None, None], x.flip(3), x)
    return x


def crop_raw(x, gen, pad=4):
    b, c, h, w = x.shape
    xp = F.pad(x, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    dx = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    return torch.stack([xp[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(b)])


def train(a):
    d = a.data
    xtr = read_idx(os.path.join(d, "train-images-idx3-ubyte.gz")).float().div(255).unsqueeze(1)
    ytr = read_idx(os.path.join(d, "train-labels-idx1-ubyte.gz")).long()
    xte = read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz")).float().div(255).unsqueeze(1)
    yte = read_idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz")).long()
    mean, std = xtr.mean().item(), xtr.std().item()
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    net = Net(a.arch, a.C, a.N, 10, 1)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps = xtr.shape[0] // a.batch
    total = steps * a.epochs
    t0 = time.perf_counter()
    train_s = 0.0
    acc = 0.0
    for ep in range(a.epochs):
        net.train()
        perm = torch.randperm(xtr.shape[0], generator=gen)
        te = time.perf_counter()
        for s in range(steps):
            idx = perm[s * a.batch:(s + 1) * a.batch]
            x = xtr[idx]
            if "crop" in a.augment:
                x = crop_raw(x, gen)
            x = augment((x - mean) / std, a.augment, gen)
            for g in opt.param_groups:
                g["lr"] = 0.5 * a.lr * (1 + math.cos(math.pi * (ep * steps + s) / total))
            opt.zero_grad()
            F.cross_entropy(net(x), ytr[idx]).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5)
            opt.step()
        train_s += time.perf_counter() - te
        net.eval()
        with torch.no_grad():
            correct = sum((net((xte[i:i + 256] - mean) / std).argmax(1) == yte[i:i + 256]).sum().item()
                          for i in range(0, xte.shape[0], 256))
        acc = 100.0 * correct / xte.shape[0]
    return {"peer": "pytorch-" + torch.__version__, "mode": "train", "seed": a.seed, "augment": a.augment,
            "epochs": a.epochs, "test_accuracy": acc, "seconds": time.perf_counter() - t0,
            "images_per_s": steps * a.batch * a.epochs / train_s,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def time_steps(net, a):
    """Seconds for a.steps training steps (forward, backward, clip 5, SGD Nesterov) of net on one random batch,
    after a.warmup untimed ones; the peers of `nas bench train` (this file, pytorch_train_mbv3.py) share it."""
    device = torch.device(getattr(a, "device", "cpu"))
    net.to(device)
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    x = torch.randn(a.batch, a.channels, a.size, a.size).to(device)
    y = torch.randint(0, a.classes, (a.batch,)).to(device)
    # On a GPU the clock must see the queued work finish (as `nas bench train --device cuda` does).
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)

    def step():
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5)
        opt.step()

    for _ in range(a.warmup):
        step()
    sync()
    t = time.perf_counter()
    for _ in range(a.steps):
        step()
    sync()
    return time.perf_counter() - t


def bench(a):
    torch.manual_seed(a.seed)
    net = Net(a.arch, a.C, a.N, a.classes, a.channels)
    dt = time_steps(net, a)
    r = {"peer": "pytorch-" + torch.__version__, "mode": "bench", "device": a.device, "batch": a.batch,
         "size": a.size, "in_channels": a.channels, "C": a.C, "N": a.N, "threads": a.threads, "steps": a.steps,
         "sec_per_step": dt / a.steps, "images_per_s": a.batch * a.steps / dt,
         "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if a.device.startswith("cuda"):
        r["peak_gpu_mb"] = torch.cuda.max_memory_allocated() / 2**20
        r["tf32_convolutions"] = torch.backends.cudnn.allow_tf32
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", action="store_true")
    ap.add_argument("--arch", default=BEST)
    ap.add_argument("--C", type=int, default=16)
    ap.add_argument("--N", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--size", type=int, default=28)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--augment", default="flip", choices=["none", "crop", "flip", "crop+flip"])
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "data", "fashion-mnist-mini"))
    ap.add_argument("--device", default="cpu", help="bench mode: cpu (default) or cuda[:N]")
    a = ap.parse_args()
    if a.train and a.device != "cpu":
        ap.error("--device is for the bench mode; --train runs on the CPU")
    torch.set_num_threads(a.threads)
    print(json.dumps(train(a) if a.train else bench(a)))


if __name__ == "__main__":
    main()
