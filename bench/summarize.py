"""Medians and ranges of a scripts/run-benchmarks.sh output (the figures of docs/PERFORMANCE.md).

    python3 bench/summarize.py docs/bench/<run>.txt
"""
import re
import statistics
import sys


def sections(text):
    parts = re.split(r"^== (.*)$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def floats(pattern, body):
    return [float(x) for x in re.findall(pattern, body)]


def main(path):
    text = open(path, encoding="utf-8").read()
    for title, body in sections(text):
        print(f"== {title}")
        if "parse+map" in body:
            total = floats(r"total\s+([\d.]+) s", body)
            rate = floats(r"total\s+[\d.]+ s\s+([\d.]+) M rows/s", body)
            parse = floats(r"parse\+map\s+([\d.]+) s", body)
            aggregate = floats(r"aggregate\+csr\s+([\d.]+) s", body)
            rss = floats(r"peak rss\s+([\d.]+)", body)
            print(f"  total s median {statistics.median(total):.3f}"
                  f"  M rows/s median {statistics.median(rate):.2f} (range {min(rate):.2f}-{max(rate):.2f})"
                  f"  parse s median {statistics.median(parse):.3f}"
                  f"  aggregate s median {statistics.median(aggregate):.3f}  peak rss max {max(rss):.1f} MB")
        elif "pandas" in body:
            secs = floats(r"total\s+([\d.]+) s", body)
            print(f"  total s median {statistics.median(secs):.3f} (range {min(secs):.3f}-{max(secs):.3f})")
        else:
            runs = re.findall(r"store \S+: (\d+) events.*?\nload \(empty store\)\s+\S+ s\s+(\d+) k rows/s.*?"
                              r"\nread back\s+\S+ s\s+(\d+) k rows/s.*?\nreload \(all known\)\s+\S+ s\s+(\d+) k rows/s",
                              body, flags=re.S)
            for events in sorted({r[0] for r in runs}, key=int):
                mine = [r for r in runs if r[0] == events]
                load = [int(r[1]) for r in mine]
                print(f"  {events} events: load k rows/s median {statistics.median(load):.0f} "
                      f"(range {min(load)}-{max(load)}), read back {statistics.median(int(r[2]) for r in mine):.0f}, "
                      f"reload {statistics.median(int(r[3]) for r in mine):.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
