#!/usr/bin/env python3
"""Clients for tests/serve/replicas.sh (standard library only; loopback only).

  propagation BALANCER REPLICAS TRIES ITEM
      POSTs one feedback event of a new user through the balancer per try, then polls every
      replica directly until each one's live history holds it; prints the seconds until all did
      (p50, max) as JSON. A try that takes over 1 s fails the run (exit 1).
  load BALANCER REQUESTS THREADS USERS_FILE ITEMS_FILE ACKED_FILE [KILL_PID KILL_AT]
      A fixed number of requests over THREADS keep-alive connections: three recommendation GETs
      for each feedback POST (a new user id per POST). With KILL_PID, that process gets SIGKILL
      when KILL_AT of the requests are done. Writes the user ids of acknowledged (2xx) feedback
      to ACKED_FILE and prints counts, the error rate overall and in the 2 s after the kill, and
      requests/s, as JSON.
"""
import http.client
import json
import os
import signal
import sys
import threading
import time


def request(conn, method, path, body=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, data


def propagation(balancer, replicas, tries, item):
    seconds = []
    front = http.client.HTTPConnection("127.0.0.1", balancer, timeout=5)
    direct = [http.client.HTTPConnection("127.0.0.1", p, timeout=5) for p in replicas]
    for n in range(tries):
        user = "propagation-%d-%d" % (os.getpid(), n)
        body = json.dumps({"user_id": user, "item_id": item, "event": "view"})
        status, data = request(front, "POST", "/api/feedback", body)
        if status != 200:
            print("propagation: feedback refused: %d %s" % (status, data[:200]), file=sys.stderr)
            return 1
        start = time.monotonic()
        waiting = set(range(len(direct)))
        while waiting and time.monotonic() - start < 2.0:
            for r in list(waiting):
                status, data = request(direct[r], "GET", "/api/users/%s/history" % user)
                if status == 200 and item in json.loads(data)["live"]:
                    waiting.discard(r)
            if waiting:
                time.sleep(0.002)
        elapsed = time.monotonic() - start
        if waiting:
            print("propagation: try %d: replicas %s did not see the feedback within 2 s" % (n, sorted(waiting)),
                  file=sys.stderr)
            return 1
        seconds.append(elapsed)
    seconds.sort()
    summary = {"tries": tries, "p50_s": round(seconds[len(seconds) // 2], 4), "max_s": round(seconds[-1], 4)}
    print(json.dumps(summary))
    return 0 if seconds[-1] <= 1.0 else 1


def load(balancer, total, threads, users, items, acked_file, kill_pid, kill_at):
    lock = threading.Lock()
    next_request = [0]
    results = []  # (time, ok, feedback)
    failures = {}  # "GET 502", "POST connection error", ... -> count
    acked = []
    kill_time = [None]

    def take():
        with lock:
            n = next_request[0]
            if n >= total:
                return None
            next_request[0] += 1
            if kill_pid and kill_time[0] is None and n >= kill_at:
                os.kill(kill_pid, signal.SIGKILL)
                kill_time[0] = time.monotonic()
            return n

    def worker(t):
        conn = http.client.HTTPConnection("127.0.0.1", balancer, timeout=10)
        while True:
            n = take()
            if n is None:
                return
            feedback = n % 4 == 3
            try:
                if feedback:
                    user = "load-%d-%d" % (os.getpid(), n)
                    body = json.dumps({"user_id": user, "item_id": items[n % len(items)], "event": "view"})
                    status, _ = request(conn, "POST", "/api/feedback", body)
                else:
                    status, _ = request(conn, "GET", "/api/recommendations?user_id=%s&k=10" % users[n % len(users)])
                ok = 200 <= status < 300
                failure = "%s %d" % ("POST" if feedback else "GET", status)
            except (OSError, http.client.HTTPException) as e:
                ok = False
                failure = "%s %s" % ("POST" if feedback else "GET", type(e).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", balancer, timeout=10)
            with lock:
                results.append((time.monotonic(), ok, feedback))
                if not ok:
                    failures[failure] = failures.get(failure, 0) + 1
                if ok and feedback:
                    acked.append(user)

    start = time.monotonic()
    workers = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - start
    with open(acked_file, "w") as out:
        out.write("".join(u + "\n" for u in acked))
    failed = sum(1 for _, ok, _ in results if not ok)
    summary = {"requests": len(results), "failed": failed, "error_rate": round(failed / len(results), 5),
               "feedback_acknowledged": len(acked), "seconds": round(elapsed, 2),
               "requests_per_s": round(len(results) / elapsed, 1), "failures": failures}
    if kill_time[0] is not None:
        window = [ok for t, ok, _ in results if kill_time[0] <= t <= kill_time[0] + 2.0]
        summary["requests_in_2s_after_kill"] = len(window)
        summary["failed_in_2s_after_kill"] = sum(1 for ok in window if not ok)
        summary["error_rate_in_2s_after_kill"] = round(summary["failed_in_2s_after_kill"] / max(1, len(window)), 5)
    print(json.dumps(summary))
    return 0


def lines(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def main(argv):
    if len(argv) >= 5 and argv[0] == "propagation":
        return propagation(int(argv[1]), [int(p) for p in argv[2].split(",")], int(argv[3]), argv[4])
    if len(argv) in (7, 9) and argv[0] == "load":
        kill_pid = int(argv[7]) if len(argv) == 9 else 0
        kill_at = int(argv[8]) if len(argv) == 9 else 0
        return load(int(argv[1]), int(argv[2]), int(argv[3]), lines(argv[4]), lines(argv[5]), argv[6], kill_pid,
                    kill_at)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
