"""Benchmarks, run by hand: `make bench` or `.venv/bin/python bench/run.py [--quick] [--repeats N] [--sizes ...]`.

Measures on this machine (see bench/README.md for what each number means):
  * cold start of `python -m bot ask "<question>" --json` (subprocess, wall + CPU time, peak RSS)
  * warm per-question latency (p50/p95 of per-question medians) for every test set in tests/data/*.jsonl
  * index build time for the default article (in-process, model load excluded)
  * scaling over 1…1000 articles of replicated text: build time, sentences, FAISS type, query p50, RSS
and writes results.json (raw numbers), results.md (tables for the README) and scaling.png into --out.

Never assert on timings anywhere: these machines are shared and noisy; the numbers are reported, not checked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

TESTS_DATA = REPO_ROOT / "tests" / "data"
DEFAULT_QUESTION = "How many 5G base stations has Huawei shipped?"
LOAD_LIMIT = 1.5  # 1-minute load average above which results.md carries a warning (2 cores)
SCALING_QUESTIONS = 30
WORKER = "_query-worker"

# The benchmark is of the default (extractive) engine on the committed corpus, whatever the caller's .env says.
BENCH_ENV = {"BOT_ENGINE": "extractive", "BOT_LOG_LEVEL": "WARNING", "TOKENIZERS_PARALLELISM": "false",
             "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error"}
CLEARED_ENV = ("BOT_INDEX_DIR", "BOT_ARTICLES", "BOT_TOP_K")


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
    env.update(BENCH_ENV)
    return env


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- statistics


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (same as numpy's default), q in 0..100."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary(values: list[float], digits: int = 3) -> dict:
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "runs": [round(v, digits) for v in values],
    }


# ---------------------------------------------------------------- machine and load


def machine_info() -> dict:
    import psutil

    cpu_model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(dist: str) -> str | None:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None

    def git(*args: str) -> str:
        try:
            # rstrip, not strip: a porcelain status line starts with a space
            return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=30).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""

    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu_model": cpu_model,
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_total_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            name: version(name)
            for name in ("torch", "faiss-cpu", "numpy", "sentence-transformers", "transformers", "spacy",
                         "langchain-core", "langchain-community", "rank-bm25")
        },
        "git_commit": git("rev-parse", "--short", "HEAD"),
        # Uncommitted changes in the measured code: the numbers then belong to no commit.
        "git_dirty_files": [line[3:] for line in git("status", "--porcelain", "--untracked-files=no", "--", "bot", "index", "data").splitlines() if line],
    }


class LoadMonitor:
    """Samples the 1-minute load average every few seconds; phases are summarised from the samples."""

    def __init__(self, every_s: float = 5.0) -> None:
        self.every_s = every_s
        self.samples: list[tuple[float, float]] = []
        self.phases: dict[str, tuple[float, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="load-monitor")
        self.t0 = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((round(time.monotonic() - self.t0, 1), os.getloadavg()[0]))
            self._stop.wait(self.every_s)

    def start(self) -> "LoadMonitor":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * self.every_s)

    def phase(self, name: str):
        monitor = self

        class _Phase:
            def __enter__(self):
                self.start = time.monotonic() - monitor.t0
                log(f"{name}: start (load {os.getloadavg()[0]:.2f})")

            def __exit__(self, *exc):
                end = time.monotonic() - monitor.t0
                monitor.phases[name] = (round(self.start, 1), round(end, 1))
                log(f"{name}: done in {end - self.start:.0f} s (load {os.getloadavg()[0]:.2f})")

        return _Phase()

    def report(self) -> dict:
        loads = [v for _, v in self.samples]
        per_phase = {}
        for name, (a, b) in self.phases.items():
            window = [v for t, v in self.samples if a <= t <= b] or [os.getloadavg()[0]]
            per_phase[name] = {"start_s": a, "end_s": b, "load1_mean": round(statistics.fmean(window), 2),
                               "load1_max": round(max(window), 2)}
        return {
            "load1_mean": round(statistics.fmean(loads), 2) if loads else None,
            "load1_max": round(max(loads), 2) if loads else None,
            "per_phase": per_phase,
            "samples": self.samples,
        }


def busy_processes(limit: int = 6) -> list[dict]:
    """Other processes using CPU right now (name and CPU% only), to explain a noisy run."""
    import psutil

    procs = list(psutil.process_iter(["pid", "name"]))
    for p in procs:
        try:
            p.cpu_percent(None)
        except psutil.Error:
            pass
    time.sleep(1.0)
    me = os.getpid()
    rows = []
    for p in procs:
        try:
            cpu = p.cpu_percent(None)
        except psutil.Error:
            continue
        if p.pid != me and cpu >= 5:
            rows.append({"name": p.info["name"], "cpu_percent": round(cpu, 1)})
    return sorted(rows, key=lambda r: -r["cpu_percent"])[:limit]


# ---------------------------------------------------------------- test sets


def read_testset(path: Path) -> list[dict]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(item, dict) and isinstance(item.get("question"), str):
                items.append(item)
    return items


def tracked(pattern: str) -> list[Path]:
    """Committed files matching a glob under the repo (untracked work in progress of others is left out);
    every match when git is unavailable."""
    matches = sorted(REPO_ROOT.glob(pattern))
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", *[str(p.relative_to(REPO_ROOT)) for p in matches]],
                                cwd=REPO_ROOT, capture_output=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return matches
    names = {REPO_ROOT / n for n in listed.decode().split("\0") if n}
    return [p for p in matches if p in names]


def testsets() -> list[tuple[str, Path, Path | None]]:
    """(name, jsonl, article) for the committed tests/data/*.jsonl; article None means the committed default index."""
    out = []
    for path in tracked("tests/data/*.jsonl"):
        article = TESTS_DATA / "articles" / f"{path.stem}.txt"
        out.append((path.stem, path, article if article.is_file() else None))
    return out


def in_conversation_order(items: list[dict]) -> list[dict]:
    """Single items in file order; each conversation as one block in turn order, where its first item appears."""
    groups: dict[str, list[dict]] = {}
    for item in items:
        if item.get("conversation") is not None:
            groups.setdefault(item["conversation"], []).append(item)
    ordered, done = [], set()
    for item in items:
        conv = item.get("conversation")
        if conv is None:
            ordered.append(item)
        elif conv not in done:
            done.add(conv)
            turns = sorted(enumerate(groups[conv]), key=lambda p: (p[1].get("turn") is None, p[1].get("turn") or 0, p[0]))
            ordered.extend(t for _, t in turns)
    return ordered


# ---------------------------------------------------------------- measurements


def run_child(cmd: list[str], timeout_s: float = 900) -> dict:
    """Run a child to completion; wall time, CPU time and peak RSS from wait4 (exact, for this child only)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=_child_env(), stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = started + timeout_s
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall_s": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024,  # Linux: kilobytes
            "exit_code": proc.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def bench_cold_start(question: str, repeats: int) -> dict:
    """`python -m bot ask QUESTION --json` on the committed index/, one untimed run first (page cache, stale check)."""
    cmd = [sys.executable, "-m", "bot", "ask", question, "--json"]
    first = run_child(cmd)
    if first["exit_code"] != 0:
        raise SystemExit(f"cold start: `{' '.join(cmd[1:])}` failed ({first['exit_code']}): {first['stderr'].strip()[-500:]}")
    runs = []
    for i in range(repeats):
        r = run_child(cmd)
        if r["exit_code"] != 0:
            raise SystemExit(f"cold start run {i + 1} failed ({r['exit_code']}): {r['stderr'].strip()[-500:]}")
        answer = json.loads(r["stdout"].strip().splitlines()[-1])
        runs.append({"wall_s": r["wall_s"], "cpu_s": r["cpu_s"], "peak_rss_mb": r["peak_rss_mb"],
                     "in_process_answer_ms": answer.get("latency_ms")})
        log(f"  cold start {i + 1}/{repeats}: {r['wall_s']:.2f} s wall, {r['cpu_s']:.2f} s CPU, {r['peak_rss_mb']:.0f} MB")
    return {
        "command": f"python -m bot ask {json.dumps(question)} --json",
        "answer": answer.get("answer"),
        "untimed_first_run": {"wall_s": round(first["wall_s"], 3), "cpu_s": round(first["cpu_s"], 3),
                              "rebuilt_index": "Rebuilding" in first["stderr"]},
        "wall_s": summary([r["wall_s"] for r in runs]),
        "cpu_s": summary([r["cpu_s"] for r in runs]),
        "peak_rss_mb": summary([r["peak_rss_mb"] for r in runs], 1),
        "first_question_in_process_ms": summary([r["in_process_answer_ms"] or 0.0 for r in runs], 1),
    }


def time_questions(chain, items: list[dict], repeats: int) -> dict:
    """Warm-up pass (conversations through a Conversation, recording each turn's history), then `repeats`
    timed passes over all questions with the same history; p50/p95 of the per-question median."""
    from bot.conversation import Conversation
    from bot.errors import BotError

    ordered = in_conversation_order(items)
    histories: list[tuple] = []
    conversations: dict[str, Conversation] = {}
    abstained = 0
    for item in ordered:
        conv_id = item.get("conversation")
        if conv_id is None:
            histories.append(())
            ask = chain.ask
        else:
            conv = conversations.setdefault(conv_id, Conversation(chain))
            histories.append(tuple(conv.history))
            ask = conv.ask
        try:
            abstained += ask(item["question"]).abstained
        except BotError:
            abstained += 1

    wall: list[list[float]] = [[] for _ in ordered]
    cpu: list[list[float]] = [[] for _ in ordered]
    for _ in range(repeats):  # pass-major, so a burst of outside load hits one pass, not one question
        for i, item in enumerate(ordered):
            c0, t0 = time.process_time(), time.perf_counter()
            try:
                chain.ask(item["question"], histories[i])
            except BotError:
                pass
            wall[i].append((time.perf_counter() - t0) * 1000)
            cpu[i].append((time.process_time() - c0) * 1000)
    medians = [statistics.median(w) for w in wall]
    best = [min(w) for w in wall]
    cpu_medians = [statistics.median(c) for c in cpu]
    return {
        "questions": len(ordered),
        "follow_ups": sum(1 for h in histories if h),
        "abstained_in_warmup": abstained,
        "repeats": repeats,
        "p50_ms": round(percentile(medians, 50), 2),
        "p95_ms": round(percentile(medians, 95), 2),
        "max_ms": round(max(medians), 2),
        "mean_ms": round(statistics.fmean(medians), 2),
        "best_p50_ms": round(percentile(best, 50), 2),
        "best_p95_ms": round(percentile(best, 95), 2),
        "cpu_p50_ms": round(percentile(cpu_medians, 50), 2),
        "cpu_p95_ms": round(percentile(cpu_medians, 95), 2),
        "per_question_ms": {item.get("id", str(i)): [round(v, 2) for v in wall[i]] for i, item in enumerate(ordered)},
    }


def timed_builds(paths: list[Path], index_dir: Path, repeats: int, long_s: float | None = None) -> dict:
    """In-process build_index, `repeats` times (just one when the first exceeds long_s)."""
    from bot.index_store import build_index

    runs, built = [], None
    for i in range(repeats):
        if index_dir.exists():
            shutil.rmtree(index_dir)
        t0 = time.perf_counter()
        built = build_index(paths, index_dir)
        runs.append(time.perf_counter() - t0)
        if long_s is not None and i == 0 and runs[0] > long_s and repeats > 1:
            log(f"  first build took {runs[0]:.0f} s > {long_s:.0f} s: not repeating this size")
            break
    return {"seconds": summary(runs), "sentences": len(built.sentences), "faiss": built.manifest.get("faiss")}


def bench_warm(repeats: int, tmp: Path) -> dict:
    from bot.config import DEFAULT_INDEX_DIR
    from bot.loader import load_chain

    results = {}
    for name, jsonl, article in testsets():
        if article is None:
            index_dir = DEFAULT_INDEX_DIR
        else:
            from bot.index_store import build_index

            index_dir = tmp / f"warm-{name}"
            build_index([article], index_dir)
        t0 = time.perf_counter()
        chain = load_chain(index_dir)
        load_s = time.perf_counter() - t0
        r = time_questions(chain, read_testset(jsonl), repeats)
        r |= {"index": "index/ (committed)" if article is None else f"temp index of {article.relative_to(REPO_ROOT)}",
              "sentences": len(chain.index.sentences), "chain_load_s": round(load_s, 3)}
        results[name] = r
        log(f"  warm {name}: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms over {r['questions']} questions")
    all_medians = [statistics.median(v) for r in results.values() for v in r["per_question_ms"].values()]
    all_best = [min(v) for r in results.values() for v in r["per_question_ms"].values()]
    results["_all"] = {"questions": len(all_medians), "p50_ms": round(percentile(all_medians, 50), 2),
                       "p95_ms": round(percentile(all_medians, 95), 2), "max_ms": round(max(all_medians), 2),
                       "best_p50_ms": round(percentile(all_best, 50), 2), "best_p95_ms": round(percentile(all_best, 95), 2)}
    return results


def bench_build_default(repeats: int, tmp: Path) -> dict:
    from bot.config import DEFAULT_ARTICLE
    from bot.index_store import build_index

    t0 = time.perf_counter()
    build_index([DEFAULT_ARTICLE], tmp / "build-first")  # loads spaCy + MiniLM: excluded from the figure
    first = time.perf_counter() - t0
    r = timed_builds([DEFAULT_ARTICLE], tmp / "build-default", repeats)
    r["first_call_incl_model_load_s"] = round(first, 3)
    r["article"] = str(DEFAULT_ARTICLE.relative_to(REPO_ROOT))
    log(f"  build default: median {r['seconds']['median']:.2f} s ({r['sentences']} sentences); first call {first:.1f} s")
    return r


# ---------------------------------------------------------------- scaling


def scaling_sources() -> list[Path]:
    """The real articles that have a test set: the default article and tests/data/articles/<test set>.txt."""
    from bot.config import DEFAULT_ARTICLE

    return [DEFAULT_ARTICLE, *(article for _, _, article in testsets() if article is not None)]


def make_corpus(directory: Path, n: int) -> list[Path]:
    """n files of replicated text: the real articles in turn, each copy with a unique first line and file name."""
    sources = scaling_sources()
    texts = [p.read_text(encoding="utf-8") for p in sources]
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        path = directory / f"copy{i:04d}-{src.name}"
        if not path.exists():
            path.write_text(f"Benchmark copy {i:04d} of {src.stem}.\n{texts[i % len(sources)]}", encoding="utf-8")
        paths.append(path)
    return paths


def scaling_questions(k: int = SCALING_QUESTIONS, seed: int = 0) -> list[str]:
    """k standalone questions (no follow-ups) sampled with a fixed seed from all test sets."""
    pool = [item["question"] for _, jsonl, _ in testsets() for item in read_testset(jsonl) if item.get("conversation") is None]
    return random.Random(seed).sample(pool, min(k, len(pool)))


def query_worker(index_dir: str, questions_file: str, repeats: str) -> None:
    """Fresh process per corpus size: load the chain, RSS after load, warm up, time the questions."""
    import psutil

    from bot.errors import BotError
    from bot.loader import load_chain

    proc = psutil.Process()
    rss_start = proc.memory_info().rss
    t0 = time.perf_counter()
    chain = load_chain(Path(index_dir))
    load_s = time.perf_counter() - t0
    rss_loaded = proc.memory_info().rss
    questions = json.loads(Path(questions_file).read_text(encoding="utf-8"))
    for q in questions:  # warm-up (lazy model parts, caches)
        try:
            chain.ask(q)
        except BotError:
            pass
    rss_warm = proc.memory_info().rss
    times: list[list[float]] = [[] for _ in questions]
    for _ in range(int(repeats)):
        for i, q in enumerate(questions):
            t = time.perf_counter()
            try:
                chain.ask(q)
            except BotError:
                pass
            times[i].append((time.perf_counter() - t) * 1000)
    medians = [statistics.median(t) for t in times]
    best = [min(t) for t in times]
    print(json.dumps({
        "chain_load_s": round(load_s, 3),
        "rss_after_imports_mb": round(rss_start / 2**20, 1),
        "rss_after_load_mb": round(rss_loaded / 2**20, 1),
        "rss_after_queries_mb": round(proc.memory_info().rss / 2**20, 1),
        "rss_after_warmup_mb": round(rss_warm / 2**20, 1),
        "query_p50_ms": round(percentile(medians, 50), 2),
        "query_p95_ms": round(percentile(medians, 95), 2),
        "query_best_p50_ms": round(percentile(best, 50), 2),
        "per_question_ms": [[round(v, 2) for v in t] for t in times],
    }))


def bench_scaling(sizes: list[int], repeats: int, tmp: Path, long_build_s: float) -> dict:
    corpus = tmp / "corpus"
    questions_file = tmp / "scaling-questions.json"
    questions = scaling_questions()
    questions_file.write_text(json.dumps(questions), encoding="utf-8")
    rows = []
    for n in sizes:
        paths = make_corpus(corpus, n)
        index_dir = tmp / f"scale-{n}"
        build = timed_builds(paths, index_dir, repeats, long_s=None if n <= 100 else long_build_s)
        worker = run_child([sys.executable, str(Path(__file__).resolve()), WORKER, str(index_dir), str(questions_file), str(repeats)],
                           timeout_s=3600)
        if worker["exit_code"] != 0:
            raise SystemExit(f"query worker for {n} articles failed: {worker['stderr'].strip()[-800:]}")
        q = json.loads(worker["stdout"].strip().splitlines()[-1])
        row = {
            "articles": n,
            "sentences": build["sentences"],
            "faiss": build["faiss"],
            "corpus_bytes": sum(p.stat().st_size for p in paths),
            "index_bytes": sum(f.stat().st_size for f in index_dir.iterdir() if f.is_file()),
            "build_s": build["seconds"],
            "query_p50_ms": q["query_p50_ms"],
            "query_p95_ms": q["query_p95_ms"],
            "query_best_p50_ms": q["query_best_p50_ms"],
            "chain_load_s": q["chain_load_s"],
            "rss_after_load_mb": q["rss_after_load_mb"],
            "rss_after_queries_mb": q["rss_after_queries_mb"],
            "worker_peak_rss_mb": round(worker["peak_rss_mb"], 1),
            "query_repeats": repeats,
            "per_question_ms": q["per_question_ms"],
        }
        rows.append(row)
        log(f"  {n} articles: {row['sentences']} sentences, {row['faiss']}, build {build['seconds']['median']:.2f} s "
            f"(x{len(build['seconds']['runs'])}), query p50 {row['query_p50_ms']:.1f} ms, RSS {row['rss_after_load_mb']:.0f} MB")
        shutil.rmtree(index_dir, ignore_errors=True)
    return {"text": "replicated text", "sources": [str(p.relative_to(REPO_ROOT)) for p in scaling_sources()],
            "questions": questions, "rows": rows}


# ---------------------------------------------------------------- output


def plot(scaling: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = scaling["rows"]
    x = [r["articles"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1.plot(x, [r["query_p50_ms"] for r in rows], "o-", label="p50")
    ax1.plot(x, [r["query_p95_ms"] for r in rows], "s--", alpha=0.6, label="p95")
    ax1.set(xscale="log", xlabel="corpus size (articles, replicated text)", ylabel="warm query latency (ms)",
            title=f"Query latency ({len(scaling['questions'])} questions, median of runs)")
    ax1.set_ylim(bottom=0)
    ax1.legend()
    build = [r["build_s"]["median"] for r in rows]
    ax2.plot(x, build, "o-", color="tab:green")
    ax2.set(xscale="log", yscale="log", xlabel="corpus size (articles, replicated text)", ylabel="index build time (s)",
            title="Index build time (median of runs)")
    for r, b in zip(rows, build):
        ax2.annotate(f"{r['sentences']} sent.\n{r['faiss']}", (r["articles"], b), textcoords="offset points",
                     xytext=(6, -18), fontsize=7)
    for ax in (ax1, ax2):
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def markdown(results: dict) -> str:
    m, load = results["machine"], results["load"]
    lines = [
        "# Benchmark results",
        "",
        f"{m['date']} · {m['cpu_model']}, {m['usable_cores']} cores, {m['memory_total_gb']} GB · Python {m['python']}, "
        f"torch {m['versions']['torch']}, faiss-cpu {m['versions']['faiss-cpu']} · commit {m['git_commit']} · "
        f"engine `extractive`, {results['config'].get('model_threads', '?')} model thread(s) · "
        f"{results['config']['repeats']} run(s) per figure, median quoted.",
        "",
    ]
    if m["git_dirty_files"]:
        lines += [f"**Uncommitted changes were measured** in: {', '.join(m['git_dirty_files'])}.", ""]
    before = load["before"]
    busy = load["load1_max"] is not None and (load["load1_max"] > LOAD_LIMIT or before > LOAD_LIMIT)
    lines.append(
        f"**Load:** 1-minute load average {before:.2f} before the run, mean {load['load1_mean']:.2f} / max "
        f"{load['load1_max']:.2f} during it (2 cores)."
        + (f" ⚠️ Above {LOAD_LIMIT}: other processes were competing for the CPU, so the figures are inflated "
           "and vary from run to run (compare the min – max ranges and the best-of-runs columns)." if busy else "")
    )
    if "cold_start" in results or "build_default" in results:
        lines += ["", "## Single article (the default Huawei article)", "", "| measure | median | min – max |", "|---|---:|---:|"]
    if "cold_start" in results:
        c = results["cold_start"]
        lines += [
            f"| cold start `ask --json`, process start → answer (wall) | {c['wall_s']['median']:.2f} s | "
            f"{c['wall_s']['min']:.2f} – {c['wall_s']['max']:.2f} s |",
            f"| cold start, of which first `ask` inside the process | {c['first_question_in_process_ms']['median'] / 1000:.2f} s | "
            f"{c['first_question_in_process_ms']['min'] / 1000:.2f} – {c['first_question_in_process_ms']['max'] / 1000:.2f} s |",
            f"| peak RSS of the `ask` process | {c['peak_rss_mb']['median']:.0f} MB | {c['peak_rss_mb']['min']:.0f} – {c['peak_rss_mb']['max']:.0f} MB |",
        ]
    if "build_default" in results:
        b = results["build_default"]
        lines += [
            f"| index build, {b['sentences']} sentences, models already loaded | {b['seconds']['median']:.2f} s | "
            f"{b['seconds']['min']:.2f} – {b['seconds']['max']:.2f} s |",
            f"| first build in a process (incl. spaCy + MiniLM load), 1 run | {b['first_call_incl_model_load_s']:.2f} s | |",
        ]
    if "warm" in results:
        lines += ["", "## Warm latency per question (chain loaded once, after a warm-up pass)", "",
                  "| test set | questions (follow-ups) | sentences | p50 | p95 | max | p50, best of runs | p95, best of runs |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for name, w in results["warm"].items():
            if name.startswith("_"):
                continue
            lines.append(f"| {name} | {w['questions']} ({w['follow_ups']}) | {w['sentences']} | {w['p50_ms']:.1f} ms | "
                         f"{w['p95_ms']:.1f} ms | {w['max_ms']:.1f} ms | {w['best_p50_ms']:.1f} ms | {w['best_p95_ms']:.1f} ms |")
        a = results["warm"]["_all"]
        lines.append(f"| **all** | {a['questions']} | | **{a['p50_ms']:.1f} ms** | **{a['p95_ms']:.1f} ms** | {a['max_ms']:.1f} ms | "
                     f"{a['best_p50_ms']:.1f} ms | {a['best_p95_ms']:.1f} ms |")
        lines += ["", "p50/p95/max are over the per-question medians of the timed runs (the quoted figures); \"best of runs\" "
                  "uses each question's fastest run instead, a rough view of the uncontended latency. Follow-ups are "
                  "asked with the history they had in the warm-up conversation."]
    if "scaling" in results:
        s = results["scaling"]
        lines += ["", "## Scaling (replicated text)", "",
                  f"Corpus of N files made by replicating the {len(s['sources'])} real articles "
                  f"({', '.join('`' + p + '`' for p in s['sources'])}), each copy with a unique first line and file name. "
                  f"Query latency: {len(s['questions'])} questions sampled from the test sets, warm, fresh process per size.",
                  "", "| articles | sentences | FAISS index | build time (runs) | query p50 | query p95 | p50, best of runs | RSS after load | peak RSS |",
                  "|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
        for r in s["rows"]:
            lines.append(f"| {r['articles']} | {r['sentences']} | `{r['faiss']}` | {r['build_s']['median']:.2f} s "
                         f"({len(r['build_s']['runs'])}) | {r['query_p50_ms']:.1f} ms | {r['query_p95_ms']:.1f} ms | {r['query_best_p50_ms']:.1f} ms | "
                         f"{r['rss_after_load_mb']:.0f} MB | {r['worker_peak_rss_mb']:.0f} MB |")
        lines += ["", "![latency and build time against corpus size](scaling.png)"]
    lines += ["", f"Raw numbers: `results.json`. Reproduce: `{results['config']['command']}`.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark the article QA bot on this machine.")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; the median is quoted (default 3)")
    parser.add_argument("--sizes", default=None, help="corpus sizes in articles (default 1,10,100,1000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 1,10, 1 repeat, output to bench/out/quick")
    parser.add_argument("--out", type=Path, default=None, help="output directory (default bench/results)")
    parser.add_argument("--question", default=DEFAULT_QUESTION, help="question for the cold-start runs")
    parser.add_argument("--long-build-s", type=float, default=120.0,
                        help="above 100 articles, build only once when the first build takes longer (default 120 s)")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="MINUTES",
                        help=f"wait up to this long for the 1-minute load to fall below {LOAD_LIMIT} before starting")
    parser.add_argument("--skip", default="", help="comma list of phases to skip: cold,build,warm,scaling")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats = args.sizes or "1,10", 1
        args.out = args.out or REPO_ROOT / "bench" / "out" / "quick"
    args.out = args.out or REPO_ROOT / "bench" / "results"
    args.sizes = args.sizes or "1,10,100,1000"
    args.sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    if args.repeats < 1 or any(n < 1 for n in args.sizes):
        parser.error("--repeats and --sizes must be positive")
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.update(BENCH_ENV)
    for key in CLEARED_ENV:
        os.environ.pop(key, None)
    os.chdir(REPO_ROOT)
    args.out.mkdir(parents=True, exist_ok=True)

    deadline = time.monotonic() + 60 * args.wait_quiet
    while os.getloadavg()[0] > LOAD_LIMIT and time.monotonic() < deadline:
        log(f"waiting for the load to settle ({os.getloadavg()[0]:.2f} > {LOAD_LIMIT})")
        time.sleep(30)
    load_before = os.getloadavg()[0]
    if load_before > LOAD_LIMIT:
        log(f"warning: 1-minute load is {load_before:.2f} (> {LOAD_LIMIT}); wall-clock figures will be inflated")
    results: dict = {
        "config": {"repeats": args.repeats, "sizes": args.sizes, "quick": args.quick, "question": args.question,
                   "command": " ".join(["python", "bench/run.py", *(argv if argv is not None else sys.argv[1:])]).strip()},
        "machine": machine_info(),
    }
    import bot

    if not Path(bot.__file__).resolve().is_relative_to(REPO_ROOT):
        log(f"warning: measuring the bot package at {bot.__file__}, outside {REPO_ROOT}")
    results["machine"]["bot_package_in_repo"] = Path(bot.__file__).resolve().is_relative_to(REPO_ROOT)
    results["busy_processes_before"] = busy_processes()
    monitor = LoadMonitor().start()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bot-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if "cold" not in args.skip:
            with monitor.phase("cold_start"):
                results["cold_start"] = bench_cold_start(args.question, args.repeats)
        if "build" not in args.skip:
            with monitor.phase("build_default"):
                results["build_default"] = bench_build_default(args.repeats, tmp)
        if "warm" not in args.skip:
            with monitor.phase("warm"):
                results["warm"] = bench_warm(args.repeats, tmp)
        import resource

        from bot.config import get_settings

        results["config"]["model_threads"] = get_settings().model_threads
        results["bench_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        if "scaling" not in args.skip:
            with monitor.phase("scaling"):
                results["scaling"] = bench_scaling(args.sizes, args.repeats, tmp, args.long_build_s)
    monitor.stop()
    results["load"] = monitor.report() | {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    results["busy_processes_after"] = busy_processes()
    results["total_s"] = round(time.perf_counter() - started, 1)

    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(markdown(results), encoding="utf-8")
    if "scaling" in results:
        plot(results["scaling"], args.out / "scaling.png")
    log(f"wrote {args.out}/results.json, results.md" + (", scaling.png" if "scaling" in results else "")
        + f" in {results['total_s']:.0f} s")
    print((args.out / "results.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == WORKER:
        os.environ.update(BENCH_ENV)
        query_worker(*sys.argv[2:5])
    else:
        sys.exit(main())
