#!/usr/bin/env python3
"""torchsurv's side of the step-time comparison (issue 22): the MLPs of InterleavedStepRatio.

The same two networks as benchmarks/src/.../InterleavedStepRatio.java (32 -> 64 -> 64 -> 1 at batch
16 and 32 -> 256 -> 256 -> 1 at batch 64, ReLU, float32, Adam 1e-3, one thread; Gaussian features,
exponential times, about 30 % censored), trained with torchsurv's Cox loss on each batch (plain)
and with torchsurv's Momentum (steps 10, rate 0.999: its defaults), one epoch of 40 batches at a
time, plain and momentum alternating; prints microseconds per iteration (median [quartiles]) and
the momentum / plain ratio per round in InterleavedStepRatio's format, and the process's peak RSS.

    PYTHONPATH=/path/to/torchsurv/src python3 benchmarks/torchsurv_steps.py [rounds]

Needs torch (Debian: apt-get install python3-torch) and torchsurv (pip install torchsurv, or its
sources on PYTHONPATH; measured with commit 2bc59d2, the last before torchsurv required pydantic 2).
"""
import resource
import statistics
import sys
import time

import torch
from torchsurv.loss import cox
from torchsurv.loss.momentum import Momentum

BATCHES = 40
FEATURES = 32


def data(rows, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(rows, FEATURES, generator=g)
    t = -torch.log(1 - torch.rand(rows, generator=g)) * 100
    e = torch.rand(rows, generator=g) < 0.7
    return x, e, t


def mlp(hidden, seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(FEATURES, hidden), torch.nn.ReLU(),
                               torch.nn.Linear(hidden, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1))


def epoch_runner(hidden, batch, x, e, t, with_momentum):
    net = mlp(hidden, 7)
    model = Momentum(net, cox.neg_partial_log_likelihood, batchsize=batch, steps=10, rate=0.999) \
        if with_momentum else None
    params = (model.online if with_momentum else net).parameters()
    optimizer = torch.optim.Adam(params, lr=1e-3)

    def run():
        start = time.perf_counter()
        for b in range(BATCHES):
            rows = slice(b * batch, (b + 1) * batch)
            optimizer.zero_grad()
            if with_momentum:
                loss = model(x[rows], e[rows], t[rows])
            else:
                loss = cox.neg_partial_log_likelihood(net(x[rows]), e[rows], t[rows])
            loss.backward()
            optimizer.step()
        return (time.perf_counter() - start) * 1e6 / BATCHES
    return run


def summary(values, fmt):
    v = sorted(values)
    n = len(v)
    return (fmt + " [" + fmt + ", " + fmt + "]") % (v[n // 2], v[n // 4], v[(3 * n) // 4])


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    torch.set_num_threads(1)
    print("torchsurv %s, torch %s" % (getattr(sys.modules["torchsurv"], "__version__", "(sources)"),
                                       torch.__version__))
    print("mlp, batch: plain us/iteration (median [quartiles]); momentum; momentum/plain per round")
    for hidden, batch in ((64, 16), (256, 64)):
        x, e, t = data(BATCHES * batch, 42)
        plain = epoch_runner(hidden, batch, x, e, t, False)
        momentum = epoch_runner(hidden, batch, x, e, t, True)
        for _ in range(5):  # warm-up
            plain()
            momentum()
        p, m, ratio = [], [], []
        for r in range(rounds):
            if r % 2 == 0:
                p.append(plain())
                m.append(momentum())
            else:
                m.append(momentum())
                p.append(plain())
            ratio.append(m[-1] / p[-1])
        print("32-%d-%d-1, %d: plain %s; momentum %s; ratio %s" % (hidden, hidden, batch, summary(p, "%.0f"),
              summary(m, "%.0f"), summary(ratio, "%.2f")))
    print("peak RSS %.0f MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


if __name__ == "__main__":
    main()
