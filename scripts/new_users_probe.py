#!/usr/bin/python3
"""Probe: can any estimator of "what else has this user" beat popularity for new users on a data set?

Evidence for docs/RESULTS.md (issue 11, new users on MovieLens), not part of aisle. Holds out a
seeded 10% of the users whole; each one's first n events by time (ties in seeded random order) are
the history, the rest the test items; NDCG@10 over the catalog with the history excluded, like
`aisle evaluate --protocol new-users`. Estimators: popularity; the share of the history items' users
who have the item (item_knn:alpha=1 in aisle); user kNN weighting training users by their overlap
with the history to the power q; EASE; EASE with an intercept (a column of ones) and dropout
denoising (EDLAE, Steck 2020), which is trained to predict a whole row from part of it.

Usage: /usr/bin/python3 scripts/new_users_probe.py EVENTS.csv   (user,item,weight,timestamp with a
header; needs Debian's python3-numpy; dense matrices, so MovieLens-sized data only)
"""
import numpy as np, sys, csv
rng = np.random.default_rng(42)
path = sys.argv[1]
rows = np.loadtxt(path, delimiter=',', skiprows=1, dtype=np.int64)
users, uinv = np.unique(rows[:,0], return_inverse=True)
items, iinv = np.unique(rows[:,1], return_inverse=True)
U, I = len(users), len(items)
X = np.zeros((U, I), dtype=np.float32)
X[uinv, iinv] = 1
held = rng.permutation(U)[: U // 10]
mask = np.ones(U, bool); mask[held] = False
Xtr = X[mask]
pop = Xtr.sum(0)
G = Xtr.T @ Xtr
# per held-out user order by time (ties random)
order = {}
t = rows[:,3]
for u in held:
    idx = np.nonzero(uinv == u)[0]
    perm = rng.permutation(len(idx))
    idx = idx[perm]
    idx = idx[np.argsort(t[idx], kind='stable')]
    order[u] = iinv[idx]
disc = 1 / np.log2(np.arange(2, 12))
def ndcg(scores_fn, n):
    vals = []
    for u in held:
        seq = order[u]
        h, rest = seq[:n], seq[n:]
        if len(rest) == 0: continue
        s = scores_fn(h).astype(np.float64).copy()
        s[h] = -np.inf
        top = np.argpartition(-s, 10)[:10]
        top = top[np.argsort(-s[top])]
        rel = np.isin(top, rest)
        idcg = disc[: min(10, len(rest))].sum()
        vals.append((rel * disc).sum() / idcg)
    return np.mean(vals)
def lam_ease(lam, bias=False, p=0.0):
    Xb = Xtr
    if bias:
        Xb = np.hstack([Xtr, np.ones((Xtr.shape[0], 1), np.float32)])
    Gb = (Xb.T @ Xb).astype(np.float64)
    d = np.diag(Gb).copy()
    L = lam + p / (1 - p) * d if p > 0 else lam * np.ones_like(d)
    if bias: L[-1] = lam  # never dropped
    P = np.linalg.inv(Gb + np.diag(L))
    B = -P / np.diag(P)
    np.fill_diagonal(B, 0)
    return B
models = {'pop': lambda h: pop}
for a in [1.0]:
    C = G / np.maximum(np.diag(G), 1)[:, None]
    models['cond'] = lambda h, C=C: C[h].sum(0)
for q in [1, 2, 4]:
    def uknn(h, q=q):
        ov = Xtr[:, h].sum(1) ** q
        return ov @ Xtr
    models[f'uknn q={q}'] = uknn
for lam in [500]:
    B = lam_ease(lam)
    models[f'ease {lam}'] = lambda h, B=B: B[h].sum(0)
for lam, p in [(500, 0.0), (100, 0.5), (100, 0.8), (100,0.95)]:
    B = lam_ease(lam, True, p)
    models[f'ease+bias {lam} p={p}'] = lambda h, B=B: (B[h].sum(0) + B[-1])[:I]
for name, f in models.items():
    print(name, ' '.join(f'{ndcg(f, n):.4f}' for n in (1, 3, 5)), flush=True)
