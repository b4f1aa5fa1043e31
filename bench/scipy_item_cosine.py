"""The work of a cosine item-kNN fit, done with SciPy's sparse product (the same multiply-adds as
implicit's all_pairs_knn, single-threaded), on the matrix bench_models builds from a RetailRocket-
format events.csv (weights view 1, addtocart 3, transaction 5, summed per user-item pair). Prints
the matrix shape, the multiply-add count (sum over users of items-per-user squared) and the
seconds of X^T X on column-normalized X. A reference for item_knn's fit time on the same file,
since the implicit library itself is not installable here.

    /usr/bin/python3 bench/scipy_item_cosine.py events.csv
"""
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp


def main(path: str) -> None:
    df = pd.read_csv(path, usecols=["visitorid", "event", "itemid"])
    w = df["event"].map({"view": 1.0, "addtocart": 3.0, "transaction": 5.0}).astype(np.float32)
    users, u = np.unique(df["visitorid"].to_numpy(), return_inverse=True)
    items, i = np.unique(df["itemid"].to_numpy(), return_inverse=True)
    x = sp.csr_matrix((w.to_numpy(), (u, i)), shape=(len(users), len(items)), dtype=np.float32)
    x.sum_duplicates()
    per_user = np.diff(x.indptr).astype(np.float64)
    print(f"matrix: {x.shape[0]} users x {x.shape[1]} items, {x.nnz} nonzeros; "
          f"multiply-adds sum(n_u^2) = {per_user.dot(per_user):.3e}; max items per user {int(per_user.max())}")
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0))).ravel()
    norms[norms == 0] = 1
    xn = x.multiply(1.0 / norms).tocsc().astype(np.float32)
    t0 = time.perf_counter()
    sim = (xn.T @ xn).tocsr()
    print(f"scipy X^T X: {time.perf_counter() - t0:.2f} s (1 thread), {sim.nnz} nonzeros in the item-item matrix")


if __name__ == "__main__":
    main(sys.argv[1])
