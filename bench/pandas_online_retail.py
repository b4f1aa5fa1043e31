"""The same job as `bench_ingest online-retail` done the way a Python user would: pandas reads
the CSV, applies aisle's documented rules (skip rows without a customer, keep 5-digit product
codes, cancellations weigh -5 and purchases 5), maps ids to dense integers and aggregates
user-item pairs (weight sum, last time, count). Prints seconds and rows/s.

    /usr/bin/python3 bench/pandas_online_retail.py online-retail.csv
"""
import sys
import time

import pandas as pd


def main(path: str) -> None:
    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "Description": str,
                                  "CustomerID": str, "Country": str})
    rows = len(df)
    df = df[df["CustomerID"].notna()]
    code = df["StockCode"].str.strip().str.upper()
    df = df[code.str.fullmatch(r"[0-9]{5}[A-Z]*")].assign(StockCode=code)
    ts = pd.to_datetime(df["InvoiceDate"], format="%Y-%m-%d %H:%M:%S").astype("int64") // 10**9
    cancel = df["InvoiceNo"].str.startswith("C") | (df["Quantity"] < 0)
    user = pd.factorize(df["CustomerID"].str.replace(r"\.0+$", "", regex=True))[0]
    item = pd.factorize(df["StockCode"])[0]
    events = pd.DataFrame({"user": user, "item": item, "ts": ts.to_numpy(),
                           "w": cancel.map({True: -5.0, False: 5.0}).to_numpy()})
    pairs = events.groupby(["user", "item"], sort=True).agg(weight=("w", "sum"), last=("ts", "max"),
                                                            count=("w", "size"))
    seconds = time.perf_counter() - t0
    print(f"pandas {pd.__version__}: {rows} rows, {len(events)} events, {len(pairs)} pairs")
    print(f"total            {seconds:.3f} s  {rows / seconds / 1e6:.2f} M rows/s")


if __name__ == "__main__":
    main(sys.argv[1])
