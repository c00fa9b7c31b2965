"""PyTorch reference for bench/training.bench.ts: one IICL training step of the `laptop`
preset (SE-ResNet, stem 16, stages [2, 2, 2, 2], widths [8, 16, 32, 64] x4 bottleneck, SE
ratio 16, Caffe-style stride on the first 1x1, 96x96 input) on the CPU, with the same
batch (N clips -> apex, close-to-apex and onset frames in one forward pass), the same loss
(BCE on apex and close plus 0.1 x (L_OA + L_OC + L_AC + L_NA)) and SGD with momentum 0.9.

Usage: /usr/bin/python3 bench/reference/train_step_torch.py [--clips 16] [--steps 5] [--threads 2]
Prints one JSON object: {"clips", "images", "ms_per_step", "images_per_s", "threads", "torch"}.
"""

import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 96
AUS = 8
STEM = 16
STAGES = (2, 2, 2, 2)
WIDTHS = (8, 16, 32, 64)
SE_RATIO = 16


class Block(nn.Module):
    def __init__(self, cin, width, stride, projection):
        super().__init__()
        out = width * 4
        self.reduce = nn.Conv2d(cin, width, 1, stride=stride, bias=False)
        self.reduce_bn = nn.BatchNorm2d(width, eps=1e-4, momentum=0.01)
        self.spatial = nn.Conv2d(width, width, 3, padding=1, bias=False)
        self.spatial_bn = nn.BatchNorm2d(width, eps=1e-4, momentum=0.01)
        self.increase = nn.Conv2d(width, out, 1, bias=False)
        self.increase_bn = nn.BatchNorm2d(out, eps=1e-4, momentum=0.01)
        hidden = max(1, out // SE_RATIO)
        self.se_down = nn.Conv2d(out, hidden, 1)
        self.se_up = nn.Conv2d(hidden, out, 1)
        self.proj = None
        if projection:
            self.proj = nn.Conv2d(cin, out, 1, stride=stride, bias=False)
            self.proj_bn = nn.BatchNorm2d(out, eps=1e-4, momentum=0.01)

    def forward(self, x):
        y = F.relu(self.reduce_bn(self.reduce(x)))
        y = F.relu(self.spatial_bn(self.spatial(y)))
        y = self.increase_bn(self.increase(y))
        s = torch.sigmoid(self.se_up(F.relu(self.se_down(y.mean((2, 3), keepdim=True)))))
        y = y * s
        shortcut = self.proj_bn(self.proj(x)) if self.proj is not None else x
        return F.relu(y + shortcut)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, STEM, 7, stride=2, padding=3, bias=False)
        self.stem_bn = nn.BatchNorm2d(STEM, eps=1e-4, momentum=0.01)
        blocks = []
        cin = STEM
        for s, (count, width) in enumerate(zip(STAGES, WIDTHS)):
            for b in range(count):
                stride = (1 if s == 0 else 2) if b == 0 else 1
                blocks.append(Block(cin, width, stride, b == 0))
                cin = width * 4
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(cin, AUS)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.stem_bn(self.stem(x))), 3, 2)
        f = self.blocks(x).mean((2, 3))
        return f, self.head(f)


def iicl_loss(features, logits, labels, n, lam=0.1, delta=1.0):
    f = F.normalize(features, dim=1)
    apex, close, onset = f[:n], f[n : 2 * n], f[2 * n :]
    bce = F.binary_cross_entropy_with_logits(logits[:n], labels) + F.binary_cross_entropy_with_logits(
        logits[n : 2 * n], labels
    )
    oa = F.relu(delta - (onset - apex).pow(2).sum(1)).mean()
    oc = F.relu(delta - (onset - close).pow(2).sum(1)).mean()
    ac = (apex - close).pow(2).sum(1).mean()
    negative = ((labels @ labels.t()) == 0).float().triu(1)
    d = torch.cdist(apex, apex).pow(2)
    na = (F.relu(delta - d) * negative).sum() / negative.sum().clamp(min=1)
    return bce + lam * (oa + oc + ac + na)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=16)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    n = args.clips
    x = torch.randn(3 * n, 3, SIZE, SIZE) * 50
    labels = (torch.rand(n, AUS) < 0.3).float()

    def step():
        opt.zero_grad()
        features, logits = net(x)
        loss = iicl_loss(features, logits, labels, n)
        loss.backward()
        opt.step()

    step()  # warm-up
    times = []
    for _ in range(args.steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    ms = 1000 * sorted(times)[len(times) // 2]
    print(
        json.dumps(
            {
                "clips": n,
                "images": 3 * n,
                "ms_per_step": ms,
                "images_per_s": 3 * n / (ms / 1000),
                "threads": args.threads,
                "torch": torch.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
