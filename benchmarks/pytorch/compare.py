#!/usr/bin/python3
"""Runs JMH benchmark cases and their PyTorch peers (peer.py) in one window, alternating, and prints the ratios.

For each round, for each selected case, for each thread count T: the JMH benchmark (one fork, JSON result) on T
threads, then peer.py on the same case on T threads. Alternating case by case keeps the two sides of a ratio
minutes apart at most, so the load of a shared machine moves both. At the end, per case and thread count: the
median over rounds of the Java score (JMH's median iteration, ms/op), the peer's median, and java / peer (below 1:
the library is faster).

    /usr/bin/python3 benchmarks/pytorch/compare.py [--cases REGEX] [--rounds N] [--threads 1,2] [--quick]
        [--jar benchmarks/target/benchmarks.jar] [--java java] [--json out.json]

Needs benchmarks/target/benchmarks.jar (mvn -B -q -pl benchmarks -am package -DskipTests). "T threads" on the
Java side is every pool the step can use: the fork runs with OMP_NUM_THREADS=T (the OpenMP threads of libnd4j's
oneDNN convolutions: Nd4j.getEnvironment().setMaxThreads does not bound them) and OPENBLAS_NUM_THREADS=T, and the
benchmark's threads parameter (its setMaxThreads, ND4J's own ops) is T. The Fashion-MNIST iterations are
FashionIterationBenchmark.iteration (width 32 and 64). The ResNet iterations (resnet_wgangp_iteration_dim64_b64
and _dim128_b64) are ResNetIterationBenchmark.iteration (dim 64 and 128); they take seconds per iteration and are
not in the default --cases: pass --cases '^resnet_'.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEER = os.path.join(HERE, "peer.py")


def jmh_case(name):
    """The JMH benchmark regex and parameters of a peer.py case; None when it has none."""
    m = re.fullmatch(r"toy_critic_step_(unconstrained|clipping|penalty)_b(\d+)", name)
    if m:
        return r"\.CriticStepBenchmark\.criticStep$", {"batchSize": m.group(2), "constraint": m.group(1)}
    m = re.fullmatch(r"toy_iteration_(unconstrained|clipping|penalty)_b(\d+)", name)
    if m:
        return r"\.CriticStepBenchmark\.iteration$", {"batchSize": m.group(2), "constraint": m.group(1)}
    m = re.fullmatch(r"toy_generator_step_b(\d+)", name)
    if m:
        return r"\.CriticStepBenchmark\.generatorStep$", {"batchSize": m.group(1), "constraint": "unconstrained"}
    m = re.fullmatch(r"fashion_wgangp_iteration_w(\d+)_b64", name)
    if m:
        return r"\.FashionIterationBenchmark\.iteration$", {"width": m.group(1)}
    m = re.fullmatch(r"resnet_wgangp_iteration_dim(\d+)_b64", name)
    if m:
        return r"\.ResNetIterationBenchmark\.iteration$", {"dim": m.group(1)}
    m = re.fullmatch(r"conv_critic_step_(unconstrained|penalty)_b(\d+)", name)
    if m:
        return r"\.ConvCriticStepBenchmark\.criticStep$", {"batchSize": m.group(2), "constraint": m.group(1)}
    return None


def peer_cases(regex):
    out = subprocess.run([sys.executable, PEER, "--list", "--cases", regex], check=True, capture_output=True,
                         text=True).stdout
    return re.findall(r"^case=(\S+)", out, re.M)


def run_jmh(args, regex, params, threads, log):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result_file = f.name
    command = [args.java, "-jar", args.jar, regex, "-f", "1", "-rf", "json", "-rff", result_file]
    for key, value in dict(params, threads=threads).items():
        command += ["-p", "%s=%s" % (key, value)]
    if args.quick:
        command += ["-wi", "2", "-w", "1s", "-i", "3", "-r", "1s"]
    command += args.jmh_arg
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(threads)
    print("# java: %s" % " ".join(command), file=log, flush=True)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    log.write(done.stdout[-4000:] + done.stderr[-4000:])
    if done.returncode != 0:
        print("# java failed (rc %d); see the log" % done.returncode, flush=True)
        return None
    with open(result_file, encoding="utf-8") as f:
        results = json.load(f)
    os.unlink(result_file)
    if not results:
        return None
    metric = results[0]["primaryMetric"]
    iterations = [x for fork in metric["rawData"] for x in fork]
    return {"median_ms": statistics.median(iterations), "min_ms": min(iterations), "max_ms": max(iterations),
            "score_ms": metric["score"], "unit": metric["scoreUnit"], "iterations": iterations}


def run_peer(args, name, threads, log):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        result_file = f.name
    command = [sys.executable, PEER, "--cases", "^%s$" % re.escape(name), "--threads", str(threads),
               "--json", result_file]
    if args.quick:
        command += ["--reps", "3", "--warmup-s", "1", "--sample-s", "0.5"]
    command += args.peer_arg
    print("# peer: %s" % " ".join(command), file=log, flush=True)
    done = subprocess.run(command, capture_output=True, text=True)
    log.write(done.stdout + done.stderr)
    if "NOT-OPENBLAS" in done.stdout:
        print("WARNING: the peer's torch does not run on OpenBLAS; its timings are not comparable", flush=True)
    if done.returncode != 0:
        print("# peer failed (rc %d); see the log" % done.returncode, flush=True)
        return {}
    with open(result_file, encoding="utf-8") as f:
        results = json.load(f)["results"]
    os.unlink(result_file)
    return {r["threads"]: r for r in results}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default="^(toy|conv|fashion)_", help="regex on peer.py's case names (peer.py --list)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--threads", default="1,2", help="the peer's thread counts (default 1,2)")
    parser.add_argument("--quick", action="store_true", help="short JMH and peer runs (a smoke test)")
    parser.add_argument("--jar", default=os.path.join(ROOT, "benchmarks", "target", "benchmarks.jar"))
    parser.add_argument("--java", default="java")
    parser.add_argument("--jmh-arg", action="append", default=[], help="an extra JMH argument (repeatable)")
    parser.add_argument("--peer-arg", action="append", default=[], help="an extra peer.py argument (repeatable)")
    parser.add_argument("--log", default=os.path.join(tempfile.gettempdir(), "wgan-compare.log"))
    parser.add_argument("--json", help="also write every round's figures to this file")
    args = parser.parse_args()

    cases = peer_cases(args.cases)
    if not cases:
        sys.exit("no peer.py case matches %r" % args.cases)
    if any(jmh_case(c) for c in cases) and not os.path.exists(args.jar):
        sys.exit("%s is missing: mvn -B -q -pl benchmarks -am package -DskipTests" % args.jar)
    threads = [int(t) for t in args.threads.split(",") if t]
    java = {(c, n): [] for c in cases for n in threads}
    peer = {(c, n): [] for c in cases for n in threads}
    with open(args.log, "w", encoding="utf-8") as log:
        print("# log: %s; load average %s" % (args.log, ",".join("%.2f" % x for x in os.getloadavg())))
        for r in range(1, args.rounds + 1):
            for case in cases:
                target = jmh_case(case)
                for n in threads:
                    j = run_jmh(args, target[0], target[1], n, log) if target else None
                    if j:
                        java[(case, n)].append(j)
                    p = run_peer(args, case, n, log)
                    if n in p:
                        peer[(case, n)].append(p[n])
                    print("round=%d case=%s threads=%d java_ms=%s peer_ms=%s load=%.2f"
                          % (r, case, n, "%.3f" % j["median_ms"] if j else "-",
                             "%.3f" % p[n]["median_ms"] if n in p else "-", os.getloadavg()[0]), flush=True)

    print("# summary: medians over rounds; java = JMH's median iteration; ratio = java / peer (< 1: library faster)")
    summary = []
    for case in cases:
        for n in threads:
            jm = statistics.median([x["median_ms"] for x in java[(case, n)]]) if java[(case, n)] else None
            runs = peer[(case, n)]
            pm = statistics.median([x["median_ms"] for x in runs]) if runs else None
            ratio = jm / pm if jm and pm else None
            print("case=%s threads=%d java_ms=%s peer_ms=%s ratio=%s rounds=%d"
                  % (case, n, "%.3f" % jm if jm else "-", "%.3f" % pm if pm else "-",
                     "%.3f" % ratio if ratio else "-", len(runs)))
            summary.append({"case": case, "threads": n, "java_ms": jm, "peer_ms": pm, "ratio": ratio})
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"summary": summary, "java": {"%s@%d" % k: v for k, v in java.items()},
                       "peer": {"%s@%d" % k: v for k, v in peer.items()}}, f, indent=1)


if __name__ == "__main__":
    main()
