#!/usr/bin/env python3
"""What bench/scale.sh measures from outside the processes, and how it reports it.

    scale.py sample  --data DIR --out FILE [--watch-file FILE] [--metrics-every S] [--max-seconds S]
    scale.py leader  --data DIR
    scale.py restart --data DIR --node ID --old-pid PID [--timeout S]
    scale.py summary agents|placements|footprint --dir DIR [--target-* ...]

sample: once a second, one JSON line: the machine's busy CPU (/proc/stat), this sampler's
own CPU, each coordinator cK of the local cluster in DIR (pid from DIR/cK.pid: CPU ticks,
RSS, and its own view from GET /v1/cluster: role, leader, term, applied index), and the CPU
of each process tree named in the watch file (lines "NAME PID", read again every sample:
the pid and its descendants, with the children they reaped). Every --metrics-every seconds
also the coordinators' /metrics lines bench/scale.sh reads (heap, tasks, lease ack delay).
Ends on SIGTERM or SIGINT or after --max-seconds.

restart: waits for coordinator ID of DIR to run again under a new pid, then times, from
that process's start, its GET /readyz answering 200 (serving) and its applied index
reaching the leader's (caught up). One JSON object.

summary: reads what bench/scale.sh left in DIR (samples.jsonl, marks: "NAME BOOTTIME"
lines, and the part's bench JSON) and prints the part's figures and targets.

Times are CLOCK_BOOTTIME seconds, the clock of /proc/uptime (the script's marks) and of a
process's start time in /proc/PID/stat.
"""
import argparse
import glob
import json
import os
import re
import signal
import statistics
import sys
import time
import urllib.error
import urllib.request

HZ = os.sysconf("SC_CLK_TCK")
FOREIGN_LIMIT = 0.3   # cores of foreign load above which a figure is flagged, as in placement-e2e.sh
API_BASE, HTTP_BASE = 7069, 8079   # deploy/local-cluster.sh: cK has API 7069+K, HTTP 8079+K
METRICS = re.compile(r"^(jvm_memory_used_bytes\{area=\"heap\"|oag_tasks|oag_raft_applied_index|"
                     r"oag_lease_ack_delay_seconds)")


def now():
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name, or None."""
    text = read(f"/proc/{pid}/stat")
    return None if text is None else text[text.rindex(")") + 2:].split()


def ticks(fields, children=True):
    """utime + stime (+ cutime + cstime: the children it reaped) of parsed stat fields."""
    return sum(int(x) for x in fields[11:15 if children else 13])


def rss_kib(pid):
    text = read(f"/proc/{pid}/status") or ""
    m = re.search(r"^VmRSS:\s+(\d+)", text, re.M)
    return int(m.group(1)) if m else None


def machine_busy():
    fields = read("/proc/stat").splitlines()[0].split()[1:]
    return sum(int(fields[i]) for i in (0, 1, 2, 5, 6, 7))  # user nice system irq softirq steal


def coordinator_pids(data):
    """{cK: pid} of the coordinators whose pid file names a live `oag coordinator --id cK
    --data DATA/cK` (as deploy/local-cluster.sh checks)."""
    out = {}
    for f in sorted(glob.glob(os.path.join(data, "c[0-9].pid"))):
        node = os.path.basename(f)[:-4]
        pid = (read(f) or "").strip()
        if pid.isdigit() and is_coordinator(int(pid), data, node):
            out[node] = int(pid)
    return out


def is_coordinator(pid, data, node):
    cmd = " " + (read(f"/proc/{pid}/cmdline") or "").replace("\0", " ") + " "
    return " coordinator " in cmd and f" --id {node} " in cmd and f" --data {data}/{node} " in cmd


def http(port, path, timeout=0.8):
    """(status, body) of GET http://127.0.0.1:PORT/PATH; (None, None) when nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, ValueError):
        return None, None


def view(node, timeout=0.8):
    status, body = http(HTTP_BASE + int(node[1:]), "/v1/cluster", timeout)
    return json.loads(body) if status == 200 else None


def metrics(node):
    status, body = http(HTTP_BASE + int(node[1:]), "/metrics", 2.0)
    if status != 200:
        return None
    out = {}
    for line in body.splitlines():
        if METRICS.match(line):
            key, _, value = line.rpartition(" ")
            out[key] = float(value)
    return out


def tree_ticks(root, parents):
    """CPU ticks of ROOT and every live descendant, with what they reaped; None when ROOT is gone."""
    fields = stat_fields(root)
    if fields is None:
        return None
    total, todo = ticks(fields), [root]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p:
                f = stat_fields(child)
                if f is not None:
                    total += ticks(f)
                    todo.append(child)
    return total


def parent_map():
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            f = stat_fields(d)
            if f is not None:
                out[int(d)] = int(f[1])
    return out


def cmd_sample(a):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    start = now()
    next_metrics = start
    with open(a.out, "a") as out:
        tick = start
        while not stop and now() - start < a.max_seconds:
            # /proc first, all at once, so the CPU figures of one sample share its time; the
            # HTTP views after them may take a while on a busy leader.
            s = {"t": round(now(), 3), "busy": machine_busy(), "self": ticks(stat_fields(os.getpid())),
                 "nodes": {}, "trees": {}}
            for node, pid in coordinator_pids(a.data).items():
                f = stat_fields(pid)
                if f is not None:
                    s["nodes"][node] = {"pid": pid, "cpu": ticks(f, children=False), "rss": rss_kib(pid)}
            watched = [line.split() for line in (read(a.watch_file) or "").splitlines()] if a.watch_file else []
            if watched:
                parents = parent_map()
                for name, pid in (w for w in watched if len(w) == 2 and w[1].isdigit()):
                    t = tree_ticks(int(pid), parents)
                    if t is not None:
                        s["trees"][name] = t
            for node, n in s["nodes"].items():
                v = view(node)
                if v:
                    n.update(role=v["role"], leader=v["leader"], term=v["term"], applied=v["appliedIndex"])
            if s["t"] >= next_metrics:
                next_metrics += a.metrics_every
                s["metrics"] = {node: metrics(node) for node in s["nodes"]}
            out.write(json.dumps(s, separators=(",", ":")) + "\n")
            out.flush()
            tick += 1.0
            while not stop and now() < tick:
                time.sleep(min(0.2, max(0.0, tick - now())))
            if now() - tick > 1.0:
                tick = now()   # fell behind (a stalled machine): skip, do not burst


def leader_of(data):
    """(leader id, its view) as the live coordinators see it, or (None, None)."""
    for node in coordinator_pids(data):
        v = view(node)
        if v and v.get("leader"):
            lv = v if v["node"] == v["leader"] else view(v["leader"])
            if lv and lv.get("role") == "LEADER":
                return v["leader"], lv
    return None, None


def cmd_leader(a):
    leader, _ = leader_of(a.data)
    if leader is None:
        sys.exit(1)
    print(leader)


def cmd_restart(a):
    deadline = now() + a.timeout
    pid = None
    while now() < deadline:
        text = (read(os.path.join(a.data, a.node + ".pid")) or "").strip()
        if text.isdigit() and int(text) != a.old_pid and is_coordinator(int(text), a.data, a.node):
            pid = int(text)
            break
        time.sleep(0.02)
    if pid is None:
        sys.exit(f"scale.py: {a.node} did not start again within {a.timeout} s")
    started = int(stat_fields(pid)[19]) / HZ
    port = HTTP_BASE + int(a.node[1:])
    serving = caught_up = None
    applied = leader_applied = None
    while now() < deadline and caught_up is None:
        if stat_fields(pid) is None:
            sys.exit(f"scale.py: {a.node} (pid {pid}) exited after its restart")
        if serving is None and http(port, "/readyz", 0.5)[0] == 200:
            serving = now() - started
        if serving is not None:
            mine = view(a.node, 0.5)
            leader, lv = leader_of(a.data)
            if mine and lv and leader != a.node:
                applied, leader_applied = mine["appliedIndex"], lv["appliedIndex"]
                if applied >= leader_applied:
                    caught_up = now() - started
        time.sleep(0.05)
    if caught_up is None:
        sys.exit(f"scale.py: {a.node} not {'caught up' if serving else 'serving'} within {a.timeout} s "
                 f"(applied {applied}, leader {leader_applied})")
    print(json.dumps({"node": a.node, "pid": pid, "servingSeconds": round(serving, 2),
                      "caughtUpSeconds": round(caught_up, 2), "appliedIndex": applied}))


# ---------------------------------------------------------------------------------------------
# Summaries


def load_run(d):
    samples = [json.loads(line) for line in open(os.path.join(d, "samples.jsonl")) if line.strip()]
    marks = {}
    for line in open(os.path.join(d, "marks")):
        name, t = line.split()
        marks[name] = float(t)
    return samples, marks


def between(samples, t0, t1):
    return [s for s in samples if t0 <= s["t"] <= t1]


def pct(values, p):
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    v = sorted(values)
    return v[max(0, min(len(v) - 1, -(-len(v) * p // 100) - 1))]


def mean(values):
    return statistics.fmean(values) if values else None


def sample_leader(s):
    """The leader in sample S: the node that says it leads, else the one its followers name
    (a busy leader's own /v1/cluster may time out)."""
    named = [v.get("leader") for v in s["nodes"].values() if v.get("leader")]
    own = next((n for n, v in s["nodes"].items() if v.get("role") == "LEADER"), None)
    leader = own or (max(set(named), key=named.count) if named else None)
    return leader if leader in s["nodes"] else None


def leader_cores(window):
    """Per-second CPU of whoever led at both ends of each interval (same pid), in cores."""
    out = []
    for a, b in zip(window, window[1:]):
        la, lb = sample_leader(a), sample_leader(b)
        if la and la == lb and a["nodes"][la]["pid"] == b["nodes"][lb]["pid"]:
            out.append((b["nodes"][lb]["cpu"] - a["nodes"][la]["cpu"]) / HZ / (b["t"] - a["t"]))
    return out


def tree_cores(window, name):
    """Mean CPU of a watched tree over the window, in cores (first to last sample seeing it)."""
    seen = [s for s in window if name in s["trees"]]
    if len(seen) < 2 or seen[-1]["t"] <= seen[0]["t"]:
        return None
    return (seen[-1]["trees"][name] - seen[0]["trees"][name]) / HZ / (seen[-1]["t"] - seen[0]["t"])


def foreign_cores(window):
    """Mean cores busy with anything but the coordinators, the watched trees and the sampler."""
    if len(window) < 2:
        return None
    a, b = window[0], window[-1]
    own = (b["self"] - a["self"])
    for n, v in b["nodes"].items():
        if n in a["nodes"] and a["nodes"][n]["pid"] == v["pid"]:
            own += v["cpu"] - a["nodes"][n]["cpu"]
    for name, t in b["trees"].items():
        if name in a["trees"]:
            own += t - a["trees"][name]
    return max(0.0, (b["busy"] - a["busy"] - own) / HZ / (b["t"] - a["t"]))


def leaders(samples):
    """The (leader, term) pairs in the order the coordinators reported them."""
    out = []
    for s in samples:
        for n, v in s["nodes"].items():
            if v.get("role") == "LEADER" and (not out or out[-1] != (n, v["term"])):
                out.append((n, v["term"]))
    return out


def leader_chain(lead):
    """The leaders() pairs as text: "c1 (term 2) -> c3 (term 3)"."""
    return " -> ".join(f"{n} (term {t})" for n, t in lead) or "unknown"


def rss_max(window, node):
    values = [s["nodes"][node]["rss"] for s in window if node in s["nodes"] and s["nodes"][node].get("rss")]
    return max(values) / 1024 if values else None


def last_metrics(window, node):
    for s in reversed(window):
        m = (s.get("metrics") or {}).get(node)
        if m:
            return m
    return None


def heap_mib(m):
    return sum(v for k, v in m.items() if k.startswith("jvm_memory_used_bytes")) / 2**20 if m else None


def metric(m, prefix):
    return next((v for k, v in (m or {}).items() if k.startswith(prefix)), None)


def foreign_note(window):
    f = foreign_cores(window)
    note = f"foreign load mean {fmt(f)} cores"
    return note + (f" (over {FOREIGN_LIMIT}: other work shared the machine, run again on a quiet one)"
                   if f is not None and f > FOREIGN_LIMIT else "")


def fmt(v, digits=2, unit=""):
    return "-" if v is None else f"{v:.{digits}f}{unit}"


def target(met, at_scale, what, measured):
    verdict = ("met" if met else "MISSED") if at_scale else "n/a"
    return f"{verdict:<8} {what}: {measured}"


def nodes_of(samples):
    return sorted({n for s in samples for n in s["nodes"]})


def summary_agents(a):
    samples, marks = load_run(a.dir)
    r = json.load(open(os.path.join(a.dir, "agents.json")))
    if "ramp" in marks and r.get("rampUpSeconds") is not None:
        t0, t1 = marks["ramp"], marks["ramp"] + r["durationSeconds"] - r["rampUpSeconds"]
        span = f"after the ramp-up, {t1 - t0:.0f} s"
    else:
        t0, t1 = marks["sim-start"], marks["sim-end"]
        span = "the whole run: not every agent ever had a session"
    window = between(samples, t0, t1)
    cores = leader_cores(window)
    lead = [(n, t) for n, t in leaders(samples)]
    leader = lead[-1][0] if lead else None
    lm = [s for s in window if leader and (s.get("metrics") or {}).get(leader)]
    ack = lm[-1]["metrics"][leader] if lm else None
    ack_mean = None
    if len(lm) >= 2:
        c0, c1 = (metric(x["metrics"][leader], "oag_lease_ack_delay_seconds_count") for x in (lm[0], lm[-1]))
        s0, s1 = (metric(x["metrics"][leader], "oag_lease_ack_delay_seconds_sum") for x in (lm[0], lm[-1]))
        if None not in (c0, c1, s0, s1) and c1 > c0:
            ack_mean = (s1 - s0) / (c1 - c0) * 1000
    q = lambda p: metric(ack, f'oag_lease_ack_delay_seconds{{node="{leader}",quantile="{p}"}}')
    mx = metric(ack, "oag_lease_ack_delay_seconds_max")
    at_scale = r["agents"] >= a.target_agents and r["intervalMs"] <= 1000 and r["durationSeconds"] >= a.target_seconds
    scale = f"{r['agents']} agents, {r['intervalMs']} ms, {r['durationSeconds']:.0f} s"
    if not at_scale:
        scale += f"; the target is {a.target_agents} agents at 1 s for {a.target_seconds} s"
    rss = {n: rss_max(samples, n) for n in nodes_of(samples)}
    lines = [
        f"agents: {r['agents']} simulated agents, a heartbeat every {r['intervalMs']} ms each, "
        f"{r['durationSeconds']:.0f} s; ramp-up {fmt(r.get('rampUpSeconds'), 1, ' s')}; leader "
        f"{leader_chain(lead)}",
        f"sessions             {r['sessionsUp']} up at the end of {r['agents']}, {r['reconnects']} reconnects, "
        f"{r['heartbeatsPerSecond']:.0f} heartbeats/s",
        f"send lateness        p50 {fmt(r['lateP50Ms'], 1)} ms, p99 {fmt(r['lateP99Ms'], 1)} ms, max "
        f"{fmt(r['lateMaxMs'], 1)} ms (the simulator's own delays); longest send gap {r['longestGapMs'] / 1000:.1f} s "
        f"(TTL {r['ttlMs'] / 1000:.0f} s)",
        f"heartbeat ack        p50 {fmt(r['ackP50Ms'], 1)} ms, p99 {fmt(r['ackP99Ms'], 1)} ms, max "
        f"{fmt(r['ackMaxMs'], 1)} ms (send to ack, as the agents see it); {r['unacked']} unacked",
        f"leader ack delay     p50 {fmt(q('0.5') and q('0.5') * 1000, 1)} ms, p99 "
        f"{fmt(q('0.99') and q('0.99') * 1000, 1)} ms, max {fmt(mx and mx * 1000, 1)} ms (last 2 min), mean "
        f"{fmt(ack_mean, 1)} ms (oag_lease_ack_delay on {leader}: receipt to ack, leadership check included)",
        f"DOWN verdicts        {r['falseDowns']} false, {r['explainedDowns']} explained "
        f"({r['downsWithoutSession']} without a session)",
        f"leader CPU           mean {fmt(mean(cores))}, p50 {fmt(pct(cores, 50))}, p99 {fmt(pct(cores, 99))}, "
        f"max {fmt(max(cores) if cores else None)} cores ({len(cores)} one-second samples, {span})",
        f"simulator CPU        mean {fmt(tree_cores(window, 'sim'))} cores; {foreign_note(window)}",
        f"RSS                  leader max {fmt(rss.get(leader), 0, ' MiB')}; "
        + ", ".join(f"{n} {fmt(v, 0)}" for n, v in rss.items()) + f" MiB (max over the run); leader heap used "
        f"{fmt(heap_mib(last_metrics(window, leader)), 0, ' MiB')}",
        target(r["falseDowns"] == 0, at_scale, "0 false DOWN", f"{r['falseDowns']} ({scale})"),
        target(cores and mean(cores) < 1.0, at_scale, "leader under one core",
               f"mean {fmt(mean(cores))} cores, p99 {fmt(pct(cores, 99))} ({scale})"),
    ]
    print("\n".join(lines))


def summary_placements(a):
    samples, marks = load_run(a.dir)
    r = json.load(open(os.path.join(a.dir, "submit.json")))
    window = between(samples, marks["sim-start"], marks["submit-end"])
    cores = leader_cores(window)
    lead = leaders(between(samples, marks["submit-start"], marks["submit-end"]))
    ramp = f"{marks['ramp'] - marks['sim-start']:.0f} s" if "ramp" in marks else "not all in time"
    # Fewer tasks than asked: the submits ran out of time, which at scale is a miss too.
    at_scale = a.agents >= a.target_agents and a.asked >= a.target_tasks
    complete = r["tasks"] >= a.asked
    scale = f"{a.agents} agents, {r['tasks']} of {a.asked} tasks submitted"
    if not at_scale:
        scale += f"; the target is {a.target_agents} agents, {a.target_tasks} tasks"
    rss = {n: rss_max(window, n) for n in nodes_of(window)}
    lines = [
        f"placements: {r['tasks']} tasks{'' if complete else f' (of {a.asked} asked: out of time)'} "
        f"queued by {r['clients']} clients, then placed on {a.agents} simulated agents "
        f"(ramp-up {ramp}); leader {leader_chain(lead)}",
        f"committed            {r['placed']} of {r['tasks']} placed in {r['drainSeconds']:.1f} s: "
        f"{r['drainPerSecond']:.0f} placements/s, in {r['placementEntries']} PlaceTasks entries",
        f"submitted            {r['submittedPerSecond']:.0f}/s in replicated time; {r['throughput']:.0f}/s "
        f"acknowledged to the clients; {r['errors']} errors; first submitted to last placed "
        f"{r['placementSeconds']:.1f} s",
        f"leader CPU           mean {fmt(mean(cores))}, p99 {fmt(pct(cores, 99))} cores from the agents' start "
        f"to the last placement ({len(cores)} samples)",
        f"other CPU            simulator mean {fmt(tree_cores(window, 'sim'))} cores, load generator "
        f"{fmt(tree_cores(window, 'submit'))} cores; {foreign_note(window)}",
        "RSS                  " + ", ".join(f"{n} {fmt(v, 0)}" for n, v in rss.items()) + " MiB (max while placing)",
        target(complete and r["drainPerSecond"] >= a.target_rate, at_scale, f"committed placements >= {a.target_rate}/s",
               f"{r['drainPerSecond']:.0f}/s ({scale})"),
    ]
    print("\n".join(lines))


def summary_footprint(a):
    samples, marks = load_run(a.dir)
    r = json.load(open(os.path.join(a.dir, "create.json")))
    rounds = [json.loads(line) for line in open(os.path.join(a.dir, "restarts.jsonl")) if line.strip()]
    window = between(samples, marks["measure-start"], marks["measure-end"])
    nodes = nodes_of(window)
    rss = {n: rss_max(window, n) for n in nodes}
    heap = {n: heap_mib(last_metrics(window, n)) for n in nodes}
    tasks = {n: metric(last_metrics(window, n), "oag_tasks") for n in nodes}
    end = {n: rss_max(samples[-3:], n) for n in nodes}
    serving = statistics.median(x["servingSeconds"] for x in rounds)
    caught = statistics.median(x["caughtUpSeconds"] for x in rounds)
    stored = min((v for v in tasks.values() if v is not None), default=None)
    at_scale = stored is not None and stored >= a.target_tasks
    scale = f"{stored:.0f} tasks" if stored is not None else "tasks unknown"
    if not at_scale:
        scale += f"; the target is {a.target_tasks}"
    worst = max((v for v in rss.values() if v is not None), default=None)
    lines = [
        f"footprint: {r['ops']} tasks created by {r['clients']} clients ({r['throughput']:.0f}/s, "
        f"{r['errors']} errors, {r['payloadBytes']}-byte label each), stored but never scheduled; "
        f"measured {marks['measure-start'] - marks['create-end']:.0f} s after the last",
        "tasks                " + ", ".join(f"{n} {fmt(v, 0)}" for n, v in tasks.items()) + " (oag_tasks); "
        + foreign_note(between(samples, marks["create-start"], marks["measure-end"])) + " while creating and measuring",
        "RSS                  " + ", ".join(f"{n} {fmt(v, 0)}" for n, v in rss.items())
        + f" MiB (max over {marks['measure-end'] - marks['measure-start']:.0f} s)",
        "heap used            " + ", ".join(f"{n} {fmt(v, 0)}" for n, v in heap.items()) + " MiB (jvm_memory_used_bytes)",
        f"follower restarts    serving after {serving:.2f} s, caught up after {caught:.2f} s (median of "
        f"{len(rounds)}, from the new process's start)",
    ]
    for i, x in enumerate(rounds, 1):
        lines.append(f"  restart {i}: {x['node']} serving {x['servingSeconds']:.2f} s, caught up "
                     f"{x['caughtUpSeconds']:.2f} s (applied index {x['appliedIndex']})")
    lines += [
        "RSS after restarts   " + ", ".join(f"{n} {fmt(v, 0)}" for n, v in end.items()) + " MiB",
        target(worst is not None and worst <= a.target_rss, at_scale, f"coordinator RSS <= {a.target_rss} MiB",
               f"{fmt(worst, 0)} MiB, the largest ({scale})"),
        target(serving <= a.target_restart, at_scale, f"restart to serving <= {a.target_restart:g} s",
               f"median {serving:.2f} s ({scale})"),
    ]
    print("\n".join(lines))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--data", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--watch-file")
    s.add_argument("--metrics-every", type=float, default=10.0)
    s.add_argument("--max-seconds", type=float, default=3600.0)
    s = sub.add_parser("leader")
    s.add_argument("--data", required=True)
    s = sub.add_parser("restart")
    s.add_argument("--data", required=True)
    s.add_argument("--node", required=True)
    s.add_argument("--old-pid", type=int, required=True)
    s.add_argument("--timeout", type=float, default=120.0)
    s = sub.add_parser("summary")
    s.add_argument("part", choices=("agents", "placements", "footprint"))
    s.add_argument("--dir", required=True)
    s.add_argument("--agents", type=int, default=0)
    s.add_argument("--asked", type=int, default=0, help="placements: the tasks asked for")
    s.add_argument("--target-agents", type=int, help="default: 10000 (agents), 1000 (placements)")
    s.add_argument("--target-seconds", type=int, default=300)
    s.add_argument("--target-tasks", type=int, default=100000)
    s.add_argument("--target-rate", type=int, default=5000)
    s.add_argument("--target-rss", type=int, default=300)
    s.add_argument("--target-restart", type=float, default=10.0)
    a = p.parse_args()
    if a.cmd == "summary" and a.target_agents is None:
        a.target_agents = 10000 if a.part == "agents" else 1000
    if a.cmd == "sample":
        a.data = os.path.abspath(a.data)
        cmd_sample(a)
    elif a.cmd == "leader":
        cmd_leader(argparse.Namespace(data=os.path.abspath(a.data)))
    elif a.cmd == "restart":
        a.data = os.path.abspath(a.data)
        cmd_restart(a)
    else:
        {"agents": summary_agents, "placements": summary_placements, "footprint": summary_footprint}[a.part](a)


if __name__ == "__main__":
    main()
