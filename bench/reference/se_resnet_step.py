"""PyTorch reference for bench/kernels.bench.ts: one SGD training step of the same small
SE-ResNet (same layers, shapes, padding, loss and optimiser), timed on the CPU.

Usage: /usr/bin/python3 bench/reference/se_resnet_step.py --threads 1 [--steps 10]
Prints one JSON object: {"threads", "batch", "ms_per_step", "cpu_ms_per_step", "torch"}
(wall-clock and process CPU milliseconds of each timed step).
"""

import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 16
SIZE = 64
AUS = 8
STEM = 32
WIDTHS = (32, 64, 128, 256)
STRIDES = (1, 2, 2, 2)
SE_REDUCTION = 8


def conv(cin, cout, k, stride=1):
    # TF 'same' at stride 1 with an odd kernel is a symmetric pad of k // 2.
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2 if stride == 1 else 0, bias=False)


class Block(nn.Module):
    """Caffe-style bottleneck (stride on the first 1x1) with squeeze-excitation."""

    def __init__(self, cin, width, stride):
        super().__init__()
        mid = width // 2
        self.reduce = conv(cin, mid, 1, stride)
        self.reduce_bn = nn.BatchNorm2d(mid)
        self.spatial = conv(mid, mid, 3)
        self.spatial_bn = nn.BatchNorm2d(mid)
        self.expand = conv(mid, width, 1)
        self.expand_bn = nn.BatchNorm2d(width)
        squeezed = max(4, width // SE_REDUCTION)
        self.se_down = nn.Linear(width, squeezed)
        self.se_up = nn.Linear(squeezed, width)
        self.project = None
        if stride != 1 or cin != width:
            self.project = conv(cin, width, 1, stride)
            self.project_bn = nn.BatchNorm2d(width)

    def forward(self, x):
        y = F.relu(self.reduce_bn(self.reduce(x)))
        y = F.relu(self.spatial_bn(self.spatial(y)))
        y = self.expand_bn(self.expand(y))
        s = torch.sigmoid(self.se_up(F.relu(self.se_down(y.mean((2, 3))))))
        y = y * s[:, :, None, None]
        shortcut = x if self.project is None else self.project_bn(self.project(x))
        return F.relu(y + shortcut)


class SmallSeResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv(3, STEM, 3)
        self.stem_bn = nn.BatchNorm2d(STEM)
        blocks = []
        cin = STEM
        for width, stride in zip(WIDTHS, STRIDES):
            blocks.append(Block(cin, width, stride))
            cin = width
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(cin, AUS)

    def forward(self, x):
        y = F.relu(self.stem_bn(self.stem(x)))
        # TF 'same' max pool 3x3/2 on 64: pad 0 before, 1 after.
        y = F.max_pool2d(F.pad(y, (0, 1, 0, 1), value=float("-inf")), 3, 2)
        y = self.blocks(y)
        return self.head(y.mean((2, 3)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = SmallSeResNet()
    model.train()
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(BATCH, 3, SIZE, SIZE)
    labels = (torch.rand(BATCH, AUS) > 0.5).float()

    def step():
        optimiser.zero_grad(set_to_none=True)
        loss = F.binary_cross_entropy_with_logits(model(x), labels)
        loss.backward()
        optimiser.step()

    for _ in range(3):
        step()
    times = []
    cpu_times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        cpu_start = time.process_time()
        step()
        times.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
    print(
        json.dumps(
            {
                "threads": args.threads,
                "batch": BATCH,
                "ms_per_step": times,
                "cpu_ms_per_step": cpu_times,
                "torch": torch.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
