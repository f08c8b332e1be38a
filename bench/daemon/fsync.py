#!/usr/bin/env python3
"""What a durable definition write costs on a file system, libvirt's way against vnetd's.

  bench/daemon/fsync.py [DIR] [N]     (DIR defaults to a new directory under /tmp, removed afterwards)

libvirt 9.0 (virFileRewrite, src/util/virfile.c): write a temp file, fsync it, rename it into place; the
directory is not synced, so after a crash the new name may be missing. vnetd before issue 20 (AtomicFiles.write):
the same, then fsync the directory, so the rename is on disk before the reply. vnetd since (DefinitionLog): the
record overwrites zeros preallocated in the definitions log, then fdatasync (the files follow in the background).
Prints the medians of N writes of each (a 600-byte file, about a network definition), alternating in rounds so a
change in the disk's load hits all three.
"""
import os, shutil, statistics, sys, tempfile, time


def write(d, i, sync_dir):
    t0 = time.perf_counter()
    tmp = os.path.join(d, ".tmp-%d" % i)
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    try:
        os.write(fd, b"x" * 600)
        os.fsync(fd)
    finally:
        os.close(fd)
    t1 = time.perf_counter()
    os.rename(tmp, os.path.join(d, "n%d.xml" % i))
    if sync_dir:
        dfd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return (t1 - t0) * 1e3, (time.perf_counter() - t1) * 1e3


def log_write(fd, i):
    t0 = time.perf_counter()
    os.pwrite(fd, b"y" * 612, 4096 + (i * 612) % (60 << 10))
    os.fdatasync(fd)
    return (time.perf_counter() - t0) * 1e3, 0.0


def main():
    own = len(sys.argv) < 2
    d = tempfile.mkdtemp(prefix="vnt-fsync.") if own else sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    try:
        log = os.open(os.path.join(d, ".definitions.log"), os.O_CREAT | os.O_RDWR, 0o600)
        os.write(log, b"\0" * (4096 + (64 << 10)))
        os.fsync(log)
        res = {False: [], True: [], "log": []}
        i = 0
        for _ in range(4):
            for way in (False, True, "log"):
                for _ in range(n // 4):
                    res[way].append(log_write(log, i) if way == "log" else write(d, i, way))
                    i += 1
        os.close(log)
        for sync_dir, name in ((False, "libvirt: file fsync, rename"), (True, "vnetd before: file fsync, rename, directory fsync")):
            r = res[sync_dir]
            print("%-52s median %.2f ms (file fsync %.2f, rename%s %.2f)" % (
                name, statistics.median(a + b for a, b in r), statistics.median(a for a, _ in r),
                " + directory fsync" if sync_dir else "", statistics.median(b for _, b in r)))
        print("%-52s median %.2f ms" % ("vnetd: log record over preallocated zeros, fdatasync", statistics.median(a for a, _ in res["log"])))
        print("(%d writes each in %s; load average %s)" % (len(res[True]), d, " ".join(open("/proc/loadavg").read().split()[:3])))
    finally:
        if own:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
