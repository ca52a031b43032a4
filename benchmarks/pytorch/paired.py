#!/usr/bin/python3
"""Runs a JMH benchmark case and its PyTorch peer interleaved in short blocks, and prints the ratio per pair.

compare.py runs the two sides one after the other, each for tens of seconds; on a shared 2-vCPU VM whose speed
on 2 threads swings by some 30% in phases of seconds (benchmarks/JOURNAL.md, 2026-12-04 evening) a single
round's ratio then moves by as much. Here both sides stay warm in their own processes and take turns: the Java
case runs in org.wgan.benchmarks.StepServer (the JMH benchmark's state class set up as JMH would, with its @Fork
JVM flags), the peer in this process (peer.py's case), in blocks of about --block-s seconds, in the order
J P P J J P ..., each block followed by a pause of --pause-s so that the other side's spinning threads go quiet.
Each pair of adjacent blocks gives one ratio java / peer; the median and quartiles of those ratios are printed
with each side's median block.

    /usr/bin/python3 benchmarks/pytorch/paired.py --cases '^toy_iteration_unconstrained_b256$' --threads 2
    /usr/bin/python3 benchmarks/pytorch/paired.py --cases '^toy_' --threads 1,2 --blocks 20 --json paired.json

Needs benchmarks/target/benchmarks.jar (mvn -B -q -pl benchmarks -am package -DskipTests). Threads as in
compare.py: the Java process runs with OMP_NUM_THREADS=T and OPENBLAS_NUM_THREADS=T and its case's threads=T,
the peer with torch.set_num_threads(T). The floors (benchmarks taking a Blackhole) are not served.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import peer  # noqa: E402  (the peer's models, steps and checks)

PREFIX = "step-server "


class JavaCase:
    """A StepServer process: run(n) runs n operations there and returns its milliseconds per operation."""

    def __init__(self, java, jar, spec, threads):
        cls = spec.split()[0].split(".")[0]
        flags = []
        out = subprocess.run([java, "-cp", jar, "org.wgan.benchmarks.StepServer", "--fork-args", cls], check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith(PREFIX + "jvm-arg "):
                flags.append(line[len(PREFIX + "jvm-arg "):].strip())
        env = dict(os.environ)
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(threads)
        command = [java] + flags + ["-cp", jar, "org.wgan.benchmarks.StepServer"] + spec.split() + \
            ["threads=%d" % threads]
        self.command = command
        # stderr to a file, not a pipe nobody reads (its dnnl warnings could fill one); shown when the server fails
        self.errors = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.errors, text=True, bufsize=1)
        self._answer("ready")

    def _answer(self, word):
        for line in self.process.stdout:
            if line.startswith(PREFIX):
                parts = line[len(PREFIX):].split()
                if parts[0] != word:
                    raise RuntimeError("StepServer answered %r, expected %r" % (line, word))
                return parts[1:]
        code = self.process.wait()
        self.errors.seek(0)
        raise RuntimeError("StepServer ended (exit %s): %s\n%s" % (code, " ".join(self.command),
                                                                  self.errors.read()[-4000:]))

    def run(self, n):
        self.process.stdin.write("run %d\n" % n)
        self.process.stdin.flush()
        return float(self._answer("ms")[0])

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
            self.process.wait(timeout=60)
        self.errors.close()


def torch_run(step, n):
    t0 = time.perf_counter()
    for _ in range(n):
        step()
    return (time.perf_counter() - t0) * 1e3 / n


def warm(run, seconds, min_steps=3):
    """Runs single operations for `seconds` (at least min_steps); returns the last ones' mean, in ms."""
    start = time.perf_counter()
    times = []
    while len(times) < min_steps or time.perf_counter() - start < seconds:
        times.append(run(1))
    tail = times[len(times) // 2:]
    return sum(tail) / len(tail)


def paired_case(args, name, spec, factory, threads):
    torch.set_num_threads(threads)
    java = JavaCase(args.java, args.jar, spec, threads)
    try:
        step = factory()
        java_ms = warm(java.run, args.warmup_s)
        peer_ms = warm(lambda n: torch_run(step, n), args.warmup_s)
        java_n = max(1, int(round(args.block_s * 1e3 / java_ms)))
        peer_n = max(1, int(round(args.block_s * 1e3 / peer_ms)))
        java_blocks, peer_blocks = [], []
        for k in range(args.blocks):
            order = ("java", "peer") if k % 2 == 0 else ("peer", "java")
            for side in order:
                if side == "java":
                    java_blocks.append(java.run(java_n))
                else:
                    peer_blocks.append(torch_run(step, peer_n))
                time.sleep(args.pause_s)
        ratios = [j / p for j, p in zip(java_blocks, peer_blocks)]
        ordered = sorted(ratios)
        return {"case": name, "threads": threads, "java": spec, "java_n": java_n, "peer_n": peer_n,
                "java_ms": java_blocks, "peer_ms": peer_blocks, "ratios": ratios,
                "java_median_ms": statistics.median(java_blocks), "peer_median_ms": statistics.median(peer_blocks),
                "ratio_median": statistics.median(ratios), "ratio_q1": peer.percentile(ordered, 0.25),
                "ratio_q3": peer.percentile(ordered, 0.75)}
    finally:
        java.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="^(toy|conv)_", help="regex on peer.py's case names (default: toy and "
                        "conv cases)")
    parser.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    parser.add_argument("--blocks", type=int, default=20, help="blocks per side (default 20)")
    parser.add_argument("--block-s", type=float, default=0.5, help="seconds per block (default 0.5)")
    parser.add_argument("--pause-s", type=float, default=0.2,
                        help="pause after each block (default 0.2: OpenBLAS's idle threads spin for some 0.1 s)")
    parser.add_argument("--warmup-s", type=float, default=15.0,
                        help="warm-up seconds per side (default 15: the JIT takes 10 s and more on the toy steps)")
    parser.add_argument("--jar", default=os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar"))
    parser.add_argument("--java", default="java")
    parser.add_argument("--json", help="also write every block's figures to this file")
    args = parser.parse_args(argv)

    cases = [c for c in peer.build_cases() if re.search(args.cases, c[0])]
    if not cases:
        parser.error("no case matches %r (peer.py --list)" % args.cases)
    torch.set_num_interop_threads(1)
    model, avx512 = peer.cpu_model()
    ok, text = peer.blas_check()
    print("# torch=%s cpu=%r avx512f=%s blas=%s %s" % (torch.__version__, model, avx512, "OK" if ok else
                                                          "NOT-OPENBLAS", text), flush=True)
    if not ok:
        print("WARNING: torch's products do not run on OpenBLAS; the ratios are not comparable", file=sys.stderr)
    results = []
    for threads in [int(t) for t in args.threads.split(",") if t]:
        for name, spec, factory in cases:
            r = paired_case(args, name, spec, factory, threads)
            results.append(r)
            print("case=%s threads=%d java_ms=%.3f peer_ms=%.3f ratio=%.3f q1=%.3f q3=%.3f blocks=%d load=%.2f"
                  % (name, threads, r["java_median_ms"], r["peer_median_ms"], r["ratio_median"], r["ratio_q1"],
                     r["ratio_q3"], args.blocks, os.getloadavg()[0]), flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"torch": torch.__version__, "cpu": model, "avx512f": avx512, "blas_ok": ok,
                       "results": results}, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
