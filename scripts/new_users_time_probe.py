#!/usr/bin/python3
"""Probe: does popularity *at the query's time* beat all-time popularity for new users?

Evidence for docs/RESULTS.md (issue 11, new users on MovieLens), not part of aisle; a companion of
new_users_probe.py with the same protocol: a seeded 10% of the users held out whole, each one's
first n events by time (ties in seeded random order) the history, the rest the test items, NDCG@10
over the catalog with the history excluded. Estimators: all-time popularity of the other users'
events; their events in the W days before the history's newest event (what a shop knows at that
moment), alone and with all-time popularity as a tie-breaker; and an exponential decay back from
that moment. Prints NDCG@10 +- its standard error after 1, 3 and 5 events.

Usage: /usr/bin/python3 scripts/new_users_time_probe.py EVENTS.csv   (user,item,weight,timestamp
with a header, integer ids and seconds; Debian's python3-numpy)
"""
import sys

import numpy as np

rng = np.random.default_rng(42)
rows = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1, dtype=np.int64)
users, uinv = np.unique(rows[:, 0], return_inverse=True)
items, iinv = np.unique(rows[:, 1], return_inverse=True)
t = rows[:, 3]
U, I = len(users), len(items)
held = rng.permutation(U)[: U // 10]
is_held = np.zeros(U, bool)
is_held[held] = True
train = ~is_held[uinv]
train_items, train_times = iinv[train], t[train]
by_time = np.argsort(train_times, kind='stable')
train_items, train_times = train_items[by_time], train_times[by_time]
popularity = np.bincount(train_items, minlength=I).astype(float)
order = {}
for u in held:
    idx = np.nonzero(uinv == u)[0]
    idx = idx[rng.permutation(len(idx))]
    idx = idx[np.argsort(t[idx], kind='stable')]
    order[u] = (iinv[idx], t[idx])
discount = 1 / np.log2(np.arange(2, 12))


def before(now, seconds=None, half_life=None):
    """Other users' events up to `now`: in the last `seconds`, or all of them decayed by `half_life`."""
    hi = np.searchsorted(train_times, now, side='right')
    if half_life is None:
        lo = np.searchsorted(train_times, now - seconds, side='left')
        return np.bincount(train_items[lo:hi], minlength=I).astype(float)
    weights = 0.5 ** ((now - train_times[:hi]) / half_life)
    return np.bincount(train_items[:hi], weights=weights, minlength=I)


def ndcg(score, n):
    values = []
    for u in held:
        seq, times = order[u]
        history, rest = seq[:n], seq[n:]
        if len(rest) == 0:
            continue
        s = score(times[n - 1]).astype(np.float64).copy()
        s[history] = -np.inf
        top = np.argpartition(-s, 10)[:10]
        top = top[np.argsort(-s[top])]
        hit = np.isin(top, rest)
        values.append((hit * discount).sum() / discount[: min(10, len(rest))].sum())
    return np.mean(values), np.std(values) / np.sqrt(len(values))


day = 86400
models = {'popularity': lambda now: popularity}
for days in [1, 7, 30, 90]:
    models[f'last {days} days'] = lambda now, d=days: before(now, d * day)
    models[f'last {days} days, then popularity'] = lambda now, d=days: (
        before(now, d * day) / max(1, before(now, d * day).sum()) + 1e-3 * popularity / popularity.sum())
for half_life in [7, 30]:
    models[f'half-life {half_life} days'] = lambda now, h=half_life: before(now, half_life=h * day)
for name, score in models.items():
    print(name, ' '.join('%.4f +- %.4f' % ndcg(score, n) for n in (1, 3, 5)), flush=True)
