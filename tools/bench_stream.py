#!/usr/bin/env python3
"""Load, samplers and arithmetic for scripts/bench-stream (the Kafka leg's benchmark). Standard library only.

  requests OUT --devices D --first-step K0 --steps K --base T      Traccar Client form posts, one per device and step
  messages DUMP OUT --devices D --first-step K0 --steps K --base T  synthetic topic messages (key TAB json) shaped
                                                                    like the publisher's, for the devices in DUMP
  receipt-lag DUMP                                                  serverTime -> Kafka message timestamp, per message
  watch OUT --url NAME=URL... [--until NAME:METRIC>=VALUE]          scrape /metrics every --interval s into JSON lines
  publisher SAMPLES --n N --load-start T --load-end T               publisher figures from a watch of serve
  worker SAMPLES --since T --target N                               worker figures from a watch of the worker
  e2e SAMPLES --from T --to T --count L                             end-to-end figures from a watch of both
  report RESULTS_DIR                                                the summary table

Every device walks the same pattern: it stays put for 40 fixes (400 s, inside 10 m), then walks 30 fixes at
1.3 m/s, so the analytics find real stays and trips. Fix k of a device is at BASE + 10 k seconds, the same in
every command, so the three loads continue one timeline per device.
"""
import argparse
import bisect
import calendar
import json
import math
import re
import signal
import sys
import time
import urllib.request

STEP_SECONDS = 10
STAY_FIXES, WALK_FIXES = 40, 30
WALK_METRES = 13.0  # per step: 1.3 m/s, a walk
JITTER_METRES = 4.0


def _noise(device, step, salt):
    """A deterministic value in [-0.5, 0.5): cheaper than seeding a Random per fix."""
    x = (device * 2654435761 + step * 40503 + salt * 97) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 2246822519) & 0xFFFFFFFF
    x ^= x >> 13
    return x / 4294967296.0 - 0.5


def fix(device, step):
    """(lat, lon, speed m/s, course) of device's fix number step."""
    lat0 = 48 + device % 97 * 0.05
    lon0 = 2 + device % 89 * 0.05
    course = (device * 137.508) % 360
    cycle, phase = divmod(step, STAY_FIXES + WALK_FIXES)
    walked = cycle * WALK_FIXES + max(0, phase - STAY_FIXES + 1)
    metres = walked * WALK_METRES
    north = metres * math.cos(math.radians(course)) + _noise(device, step, 1) * 2 * JITTER_METRES
    east = metres * math.sin(math.radians(course)) + _noise(device, step, 2) * 2 * JITTER_METRES
    lat = lat0 + north / 111_320
    lon = lon0 + east / (111_320 * math.cos(math.radians(lat0)))
    moving = phase >= STAY_FIXES
    return lat, lon, (WALK_METRES / STEP_SECONDS if moving else 0.0), (course if moving else 0.0)


def cmd_requests(a):
    chunks = []
    for step in range(a.first_step, a.first_step + a.steps):
        stamp = a.base + step * STEP_SECONDS
        for device in range(a.devices):
            lat, lon, speed, course = fix(device, step)
            body = (f"id=bench-{device}&lat={lat:.6f}&lon={lon:.6f}&timestamp={stamp}"
                    f"&speed={speed * 1.943844:.1f}&bearing={course:.1f}&altitude=35.0&accuracy=8.0"
                    f"&batt={50 + device % 50}")
            chunks.append(f"POST / HTTP/1.1\r\nHost: 127.0.0.1:5055\r\nUser-Agent: TraccarClient/10.0\r\n"
                          f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
                          f"{body}")
    with open(a.out, "w", newline="") as out:
        out.write("".join(chunks))


def traccar_time(seconds):
    whole = int(seconds)
    millis = int(round((seconds - whole) * 1000)) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}+00:00"


def read_dump(path):
    """Yields (timestamp ms, key, json text) from `kcat -C -f '%T\\t%k\\t%s\\n'`."""
    with open(path, encoding="utf-8") as dump:
        for line in dump:
            stamp, key, value = line.rstrip("\n").split("\t", 2)
            yield int(stamp), key, value


def cmd_messages(a):
    templates = {}
    for _, key, value in read_dump(a.dump):
        templates[key] = value
    missing = [d for d in range(a.devices) if f"bench-{d}" not in templates]
    if missing:
        sys.exit(f"messages: {len(missing)} devices have no message on the topic to copy (e.g. bench-{missing[0]})")
    parsed = {key: json.loads(value) for key, value in templates.items()}
    now = time.time()
    next_id = a.first_id
    with open(a.out, "w", encoding="utf-8") as out:
        for step in range(a.first_step, a.first_step + a.steps):
            stamp = traccar_time(a.base + step * STEP_SECONDS)
            for device in range(a.devices):
                key = f"bench-{device}"
                message = parsed[key]
                position = message["position"]
                lat, lon, speed, course = fix(device, step)
                position.update(id=next_id, serverTime=traccar_time(now), deviceTime=stamp, fixTime=stamp,
                                latitude=round(lat, 6), longitude=round(lon, 6), speed=round(speed * 1.943844, 1),
                                course=round(course, 1))
                next_id += 1
                out.write(key + "\t" + json.dumps(message, separators=(",", ":")) + "\n")


SERVER_TIME = re.compile(r'"serverTime":"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})\+00:00"')


def percentile(values, p):
    """Nearest-rank percentile of sorted values."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, math.ceil(p / 100 * len(values)) - 1))]


def cmd_receipt_lag(a):
    lags, unparsed = [], 0
    for stamp, _, value in read_dump(a.dump):
        m = SERVER_TIME.search(value)
        if not m:
            unparsed += 1
            continue
        y, mo, d, h, mi, s, ms = map(int, m.groups())
        received = calendar.timegm((y, mo, d, h, mi, s)) * 1000 + ms
        if received < a.after * 1000:
            continue
        lags.append(stamp - received)
    lags.sort()
    print(json.dumps({"messages": len(lags), "unparsed": unparsed, "p50_ms": percentile(lags, 50),
                      "p99_ms": percentile(lags, 99), "max_ms": lags[-1] if lags else None,
                      "min_ms": lags[0] if lags else None}))


LINE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")


def scrape(url):
    """{metric: value} summed over label sets, plus {metric{labels}: value}; itrack_* and process CPU only."""
    with urllib.request.urlopen(url, timeout=2) as response:
        text = response.read().decode()
    values = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if not m or not (m.group(1).startswith("itrack_") or m.group(1) == "process_cpu_seconds_total"):
            continue
        name, labels, value = m.groups()
        if name.endswith("_bucket"):
            continue
        number = float(value)
        values[name] = values.get(name, 0.0) + number
        if labels:
            values[name + labels] = number
    return values


def cmd_watch(a):
    urls = dict(item.split("=", 1) for item in a.url)
    until = None
    if a.until:
        target, _, value = a.until.partition(">=")
        until = (*target.split(":", 1), float(value))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    deadline = time.time() + a.timeout
    reached = False
    with open(a.out, "w") as out:
        next_tick = time.time()
        while not stop and time.time() < deadline:
            sample = {"t": time.time()}
            for name, url in urls.items():
                try:
                    sample[name] = scrape(url)
                except OSError:
                    sample[name] = None
            out.write(json.dumps(sample) + "\n")
            out.flush()
            if until and sample.get(until[0]) and sample[until[0]].get(until[1], 0) >= until[2]:
                reached = True
                break
            next_tick += a.interval
            time.sleep(max(0.0, next_tick - time.time()))
    if until and not reached:
        print(f"watch: {until[0]} {until[1]} did not reach {until[2]:.0f} within {a.timeout:.0f} s", file=sys.stderr)
        sys.exit(1)


def cmd_consume_latency(a):
    """Runs the kcat command after --, which prints each message's timestamp (%T) on a line, and measures how
    long after its production each message reached us; on SIGTERM stops kcat and prints percentiles."""
    import subprocess
    command = a.kcat[1:] if a.kcat[:1] == ["--"] else a.kcat
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    lags = []
    for line in child.stdout:
        received = time.time() * 1000
        if line.strip().isdigit():
            lags.append(received - int(line))
    child.wait()
    lags.sort()
    with open(a.out, "w") as out:
        json.dump({"messages": len(lags), "p50_ms": percentile(lags, 50), "p99_ms": percentile(lags, 99),
                   "max_ms": lags[-1] if lags else None}, out)


def cmd_threads(a):
    """CPU time and run-queue wait per thread name of process PID, from /proc/PID/task/*/schedstat."""
    import os
    threads = {}
    for tid in os.listdir(f"/proc/{a.pid}/task"):
        try:
            with open(f"/proc/{a.pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{a.pid}/task/{tid}/schedstat") as f:
                on_cpu, waiting, _ = map(int, f.read().split())
        except OSError:
            continue
        entry = threads.setdefault(name, {"threads": 0, "on_cpu_s": 0.0, "runqueue_wait_s": 0.0})
        entry["threads"] += 1
        entry["on_cpu_s"] = round(entry["on_cpu_s"] + on_cpu / 1e9, 3)
        entry["runqueue_wait_s"] = round(entry["runqueue_wait_s"] + waiting / 1e9, 3)
    print(json.dumps({"wall_s": round(time.time() - a.since, 3), "threads": threads}))


def load_samples(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def series(samples, source, metric):
    return [(s["t"], s[source].get(metric, 0.0)) for s in samples if s.get(source) is not None]


def first_time(points, value):
    """Time of the first sample at or above value, or None."""
    return next((t for t, v in points if v >= value), None)


def cmd_publisher(a):
    samples = load_samples(a.samples)
    delivered = series(samples, "web", "itrack_kafka_delivered_total")
    inserted = series(samples, "web", "itrack_positions_inserted_total")
    lag_positions = [v for _, v in series(samples, "web", "itrack_kafka_lag_positions")]
    lag_seconds = [v for _, v in series(samples, "web", "itrack_kafka_lag_seconds")]
    result = {"delivered": delivered[-1][1] if delivered else 0,
              "failed": samples[-1]["web"].get("itrack_kafka_failed_total", 0) if samples[-1].get("web") else None,
              "max_lag_positions": max(lag_positions, default=0), "max_lag_seconds": max(lag_seconds, default=0)}
    done = first_time(delivered, a.n)
    first = first_time(delivered, 1)
    result["all_delivered_after_load_s"] = None if done is None else max(0.0, done - a.load_end)
    if done is not None and first is not None:
        # From the first acknowledgement to the last: the rate the publisher kept while the load went on.
        result["delivered_per_s"] = a.n / (done - a.load_start)
        result["first_delivery_after_start_s"] = first - a.load_start
        first_value = next(v for t, v in delivered if t == first)
        if done > first:
            result["delivered_per_s_from_first"] = (a.n - first_value) / (done - first)
    cpu = series(samples, "web", "process_cpu_seconds_total")
    if first is not None and done is not None and done > first:
        # serve's whole CPU (ingest too, when there is a load) per position acknowledged in that window.
        spent = next(v for t, v in cpu if t == done) - next(v for t, v in cpu if t == first)
        acked = a.n - next(v for t, v in delivered if t == first)
        # None when the window is too short for the CPU counter to move.
        result["serve_cpu_us_per_delivered"] = spent / acked * 1e6 if acked and spent > 0 else None
    # While the load runs, how far deliveries trail commits (positions committed but not yet acknowledged).
    behind = [i - d for (_, i), (_, d) in zip(inserted, delivered)]
    result["max_committed_not_delivered"] = max(behind, default=0)
    print(json.dumps(result))


def cmd_worker(a):
    samples = load_samples(a.samples)
    total = series(samples, "worker", "itrack_analytics_positions_total")
    first = next(((t, v) for t, v in total if v > 0), None)
    done = first_time(total, a.target)
    last = samples[-1].get("worker") or {}
    outcomes = {k.split('"')[1]: v for k, v in last.items() if k.startswith("itrack_analytics_positions_total{")}
    result = {"target": a.target, "outcomes": outcomes,
              "results": {k.split('"')[1]: v for k, v in last.items()
                          if k.startswith("itrack_analytics_results_total{")},
              "cpu_seconds": last.get("process_cpu_seconds_total"),
              "cpu_us_per_position": (last.get("process_cpu_seconds_total") or 0) / a.target * 1e6,
              "batches": last.get("itrack_analytics_batch_seconds_count"),
              "batch_seconds_sum": last.get("itrack_analytics_batch_seconds_sum")}
    if done is not None:
        result["seconds_from_launch"] = done - a.since
        result["per_s_from_launch"] = a.target / (done - a.since)
        if first is not None and done > first[0]:
            result["first_counted_after_launch_s"] = first[0] - a.since
            result["per_s_from_first_batch"] = (a.target - first[1]) / (done - first[0])
    print(json.dumps(result))


def interpolate_time(points, value):
    """When the counter in points first reached value, linear between samples (the counter climbs steadily)."""
    for (t0, v0), (t1, v1) in zip(points, points[1:]):
        if v1 >= value:
            if v0 >= value:
                return t0
            return t0 + (t1 - t0) * (value - v0) / (v1 - v0)
    return None


def jump_time(points, value):
    """When a counter that moves in steps (one per batch) reached value: the midpoint of the sampling interval
    in which it did, so the error is at most half an interval either way."""
    for (t0, v0), (t1, v1) in zip(points, points[1:]):
        if v1 >= value:
            return t0 if v0 >= value else (t0 + t1) / 2
    return None


def cmd_e2e(a):
    samples = [s for s in load_samples(a.samples) if s.get("web") and s.get("worker")]
    if len(samples) < 2:
        print(json.dumps({"rate": a.rate, "samples": len(samples)}))
        return
    inserted = [(s["t"], s["web"].get("itrack_positions_inserted_total", 0)) for s in samples]
    processed = [(s["t"], s["worker"].get("itrack_analytics_positions_total", 0)) for s in samples]
    base_in, base_out = inserted[0][1], processed[0][1]
    inserted = [(t, v - base_in) for t, v in inserted]
    processed = [(t, v - base_out) for t, v in processed]
    # Per position (by rank, every 100th): from its commit in tc_positions to the commit of the worker's batch
    # that held it. Matching by rank assumes first in, first out, which a steady load over one worker nearly is.
    latencies = []
    for k in range(1, a.count + 1, 100):
        t_in, t_out = interpolate_time(inserted, k), jump_time(processed, k)
        if t_in is not None and t_out is not None:
            latencies.append(t_out - t_in)
    latencies.sort()
    # From the gauges, sample by sample while the load ran: the age of the oldest position Kafka has not yet
    # acknowledged, plus the worker's backlog in messages turned into seconds at the offered rate (Little's law).
    gauges = sorted(s["web"].get("itrack_kafka_lag_seconds", 0)
                    + s["worker"].get("itrack_analytics_consumer_lag_messages", 0) / a.rate
                    for s in samples if a.load_from <= s["t"] <= a.load_to)
    consumer_lag = sorted(s["worker"].get("itrack_analytics_consumer_lag_messages", 0)
                          for s in samples if a.load_from <= s["t"] <= a.load_to)
    kafka_lag = sorted(s["web"].get("itrack_kafka_lag_seconds", 0)
                       for s in samples if a.load_from <= s["t"] <= a.load_to)
    reached = processed[-1][1] if processed else 0
    print(json.dumps({
        "positions_traced": len(latencies), "processed": reached, "inserted": inserted[-1][1],
        "commit_to_results_p50_s": percentile(latencies, 50), "commit_to_results_p99_s": percentile(latencies, 99),
        "commit_to_results_max_s": latencies[-1] if latencies else None,
        "gauge_estimate_p50_s": percentile(gauges, 50), "gauge_estimate_p99_s": percentile(gauges, 99),
        "consumer_lag_p50": percentile(consumer_lag, 50), "consumer_lag_p99": percentile(consumer_lag, 99),
        "kafka_lag_seconds_p50": percentile(kafka_lag, 50), "kafka_lag_seconds_p99": percentile(kafka_lag, 99),
        "samples": len(gauges), "rate": a.rate}))


def cmd_report(a):
    def load(name):
        try:
            with open(f"{a.dir}/{name}.json") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}
    import glob
    rounds = len(glob.glob(f"{a.dir}/ingest-plain-*.json"))
    plains = [load(f"ingest-plain-{r}") for r in range(1, rounds + 1)]
    kafkas = [load(f"ingest-kafka-{r}") for r in range(1, rounds + 1)]
    # All rounds together: positions over the seconds they took, so a slow round weighs as much as it lasted.
    def pooled(runs):
        return {"acked": sum(r.get("acked", 0) for r in runs),
                "elapsedSeconds": sum(r.get("elapsedSeconds", 0) for r in runs)}

    def cpu_us(kind):
        """serve's CPU per acknowledged position over all rounds of one kind, from its final /metrics."""
        spent = 0.0
        for r in range(1, rounds + 1):
            try:
                with open(f"{a.dir}/serve-{kind}-{r}.metrics") as f:
                    spent += next(float(line.split()[1]) for line in f if line.startswith("process_cpu_seconds_total"))
            except (OSError, StopIteration, ValueError):
                return float("nan")
        runs = plains if kind == "plain" else kafkas
        return spent / sum(r.get("acked", 0) for r in runs) * 1e6 if runs else float("nan")

    plain, kafka = pooled(plains), pooled(kafkas)
    last_kafka = kafkas[-1] if kafkas else {}
    pub, backlog = load(f"publisher-{rounds}"), load("publisher-backlog")
    lag, lag_steady, kcat_lag = load("receipt-lag"), load("receipt-lag-steady"), load("kcat-latency")
    raw, worker, e2e, rows, steady = load("raw-consumer"), load("worker"), load("e2e"), load("rows"), load("steady")

    def rate(r):
        return r["acked"] / r["elapsedSeconds"] if r.get("elapsedSeconds") else float("nan")

    def fmt(v, spec=",.0f"):
        return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else format(v, spec)

    def p50_99(r, prefix="", unit="ms", spec=".0f"):
        suffix = "_ms" if unit == "ms" else "_s"
        return (f"p50 {fmt(r.get(prefix + 'p50' + suffix), spec)} {unit}, "
                f"p99 {fmt(r.get(prefix + 'p99' + suffix), spec)} {unit}")

    worker_rate = worker.get("per_s_from_first_batch", float("nan"))
    raw_rate = raw.get("per_s", float("nan"))
    table = [
        ("ingest, itrack serve without Kafka (baseline)",
         fmt(rate(plain)) + " positions/s (rounds: " + ", ".join(fmt(rate(r)) for r in plains) + "), serve CPU "
         + fmt(cpu_us("plain"), ".0f") + " µs per position", "1.00"),
        ("ingest, itrack serve publishing to Kafka",
         fmt(rate(kafka)) + " positions/s (rounds: " + ", ".join(fmt(rate(r)) for r in kafkas) + "), serve CPU "
         + fmt(cpu_us("kafka"), ".0f") + " µs per position",
         fmt(rate(kafka) / rate(plain), ".2f")),
        ("publisher: acknowledged by Kafka, load start → last ack (last round)",
         fmt(pub.get("delivered_per_s")) + " positions/s",
         fmt(pub.get("delivered_per_s", float("nan")) / rate(last_kafka), ".2f") + " of that round's ingest"),
        ("publisher: last ack after the load ended", fmt(pub.get("all_delivered_after_load_s"), ".2f") + " s", "–"),
        ("publisher: backlog of committed rows, first → last ack",
         fmt(backlog.get("delivered_per_s_from_first")) + " positions/s, serve CPU "
         + fmt(backlog.get("serve_cpu_us_per_delivered"), ".0f") + " µs per position", "–"),
        ("receipt → produce (message timestamp − serverTime), full-speed load", p50_99(lag), "–"),
        (f"receipt → produce, steady {fmt(e2e.get('rate'))}/s", p50_99(lag_steady), "–"),
        ("kcat -C -e, pinned to one core (baseline)", fmt(raw_rate) + " messages/s", "1.00"),
        ("itrack analytics, one worker pinned to one core, first batch → last",
         fmt(worker_rate) + " positions/s, CPU " + fmt(worker.get("cpu_us_per_position"), ".1f") + " µs per position",
         fmt(worker_rate / raw_rate, ".3f")),
        ("  the same from launch (with start-up and group join "
         f"{fmt(worker.get('first_counted_after_launch_s'), '.1f')} s)",
         fmt(worker.get("per_s_from_launch")) + " positions/s", "–"),
        ("  target for the worker", "≥ 50,000 positions/s", "met" if worker_rate >= 50_000 else "NOT met"),
        ("steady load offered / acknowledged", f"{fmt(e2e.get('rate'))} / {fmt(rate(steady))} positions/s", "–"),
        ("produce → received by kcat -C (raw consumer latency, baseline)", p50_99(kcat_lag), "–"),
        ("end to end: commit in tc_positions → worker's results committed",
         p50_99(e2e, "commit_to_results_", "s", ".2f"), "–"),
        ("  from the gauges: kafka_lag_seconds + consumer lag / rate",
         p50_99(e2e, "gauge_estimate_", "s", ".2f"), "–"),
        ("worker results (rows)", ", ".join(f"{k} {v}" for k, v in rows.items()) or "–", "–"),
    ]
    print("| figure | value | ratio |")
    print("|---|---|---:|")
    for name, value, ratio in table:
        print(f"| {name} | {value} | {ratio} |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    timeline = {"--devices": int, "--first-step": int, "--steps": int, "--base": int}

    def command(name, run, positional, required=None, **optional):
        """A subcommand with positional arguments, required typed options and optional ones (name: kwargs)."""
        q = sub.add_parser(name)
        q.set_defaults(run=run)
        for argument in positional:
            q.add_argument(argument)
        for option, kind in (required or {}).items():
            q.add_argument(option, type=kind, required=True)
        for option, kwargs in optional.items():
            q.add_argument("--" + option.replace("_", "-"), **kwargs)
        return q

    command("requests", cmd_requests, ["out"], timeline)
    command("messages", cmd_messages, ["dump", "out"], timeline, first_id={"type": int, "default": 1_000_000_000})
    command("receipt-lag", cmd_receipt_lag, ["dump"],
            after={"type": float, "default": 0, "help": "only positions received after this epoch time"})
    command("watch", cmd_watch, ["out"], url={"action": "append", "required": True}, until={},
            interval={"type": float, "default": 0.2}, timeout={"type": float, "default": 300})
    q = command("consume-latency", cmd_consume_latency, ["out"])
    q.add_argument("kcat", nargs=argparse.REMAINDER, help="-- kcat ARGS...")
    command("threads", cmd_threads, ["pid"], {"--since": float})
    command("publisher", cmd_publisher, ["samples"], {"--n": int, "--load-start": float, "--load-end": float})
    command("worker", cmd_worker, ["samples"], {"--since": float, "--target": int})
    command("e2e", cmd_e2e, ["samples"],
            {"--count": int, "--rate": float, "--load-from": float, "--load-to": float})
    command("report", cmd_report, ["dir"])
    a = p.parse_args()
    a.run(a)


if __name__ == "__main__":
    main()
