"""The physical reference for table partition reads: pyarrow reading each Parquet part file whole (pq.read_table)
and writing it as Arrow IPC file bytes, parts in turn, from as many threads as the gateway has clients, for a fixed
window after a warm-up. Prints one JSON object: reads, seconds, bytes (IPC bytes written), pyarrow's version.

usage: pyarrow_partitions.py WARMUP_S WINDOW_S THREADS PART_FILE...
"""
import json
import sys
import threading
import time

import pyarrow as pa
import pyarrow.parquet as pq


def read(path):
    table = pq.read_table(path)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().size


def main():
    warmup, window, threads = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    parts = sys.argv[4:]
    start = time.perf_counter()
    begin, end = start + warmup, start + warmup + window
    counts, sizes, errors = [0] * threads, [0] * threads, []

    def run(tid):
        try:
            i = tid
            while True:
                t0 = time.perf_counter()
                if t0 >= end:
                    break
                n = read(parts[i % len(parts)])
                t1 = time.perf_counter()
                if t0 >= begin and t1 <= end:
                    counts[tid] += 1
                    sizes[tid] += n
                i += 1
        except Exception as e:  # reported, and the caller records nothing
            errors.append(repr(e))

    ts = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        print(json.dumps({"error": errors[0]}))
        sys.exit(1)
    print(json.dumps({"reads": sum(counts), "seconds": window, "bytes": sum(sizes), "pyarrow": pa.__version__}))


if __name__ == "__main__":
    main()
