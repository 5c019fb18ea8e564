#!/usr/bin/env python3
"""Offline checks of compose/ and k8s/ (no cluster, no Docker engine needed).

    python3 k8s/verify.py            # needs PyYAML; uses kubectl (kustomize) when on PATH

- every YAML parses; every dashboard is JSON with a uid and a `datasource` variable;
- every image is pinned (a tag, never `latest`);
- KafkaTopic resources match the catalogue in schemas/.../Topics.java (name, partitions, cleanup.policy);
- every overlay builds with `kubectl kustomize`; each workload has readiness and liveness probes on
  /health/ready and /health/live, and every Secret it reads belongs to a KafkaUser or Strimzi's CA;
- Compose: depends_on targets exist, long-running services have health checks;
- the monitoring overlay's dashboards equal compose/grafana/dashboards.
"""
import json
import pathlib
import re
import shutil
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
errors = []


def err(msg):
    errors.append(msg)


def load_all(path):
    try:
        return [d for d in yaml.safe_load_all(path.read_text()) if d]
    except yaml.YAMLError as e:
        err(f"{path}: {e}")
        return []


def check_image(where, image):
    if not image or ":" not in image.split("/")[-1] or image.endswith(":latest"):
        err(f"{where}: image not pinned: {image!r}")


def catalogue():
    src = (ROOT / "schemas/src/main/java/dev/prefstream/schemas/Topics.java").read_text()
    out = {}
    for m in re.finditer(r'new Topic<>\(prefix \+ "([^"]+)",.*?, (partitions|\d+),\s*CleanupPolicy\.(\w+)', src, re.S):
        out["prefs." + m.group(1)] = (6 if m.group(2) == "partitions" else int(m.group(2)), m.group(3).lower())
    if len(out) != 10:
        err(f"Topics.java: parsed {len(out)} topics, expected 10")
    return out


def check_compose():
    path = ROOT / "compose/docker-compose.yml"
    doc = load_all(path)[0]
    services = doc["services"]
    for name, s in services.items():
        check_image(f"compose service {name}", s.get("image"))
        for dep, cond in (s.get("depends_on") or {}).items():
            if dep not in services:
                err(f"compose {name}: depends_on unknown service {dep}")
            if cond.get("condition") not in ("service_healthy", "service_completed_successfully"):
                err(f"compose {name}: depends_on {dep} without a health condition")
            if cond.get("condition") == "service_healthy" and (services[dep].get("healthcheck") or {}).get("disable"):
                err(f"compose {name}: waits for {dep} to be healthy, which has no health check")
        one_shot = s.get("restart") == "no"
        hc = s.get("healthcheck") or {}
        if not one_shot and (not hc or hc.get("disable")):
            err(f"compose {name}: no health check")
        for v in s.get("volumes") or []:
            src = v.split(":")[0]
            if src.startswith("."):
                if not (path.parent / src).exists():
                    err(f"compose {name}: missing bind source {src}")
            elif src not in (doc.get("volumes") or {}):
                err(f"compose {name}: undeclared volume {src}")
    for f in ("prometheus/prometheus.yml", "grafana/provisioning/datasources/prometheus.yml",
              "grafana/provisioning/dashboards/prefstream.yml"):
        load_all(path.parent / f)
    prom = load_all(path.parent / "prometheus/prometheus.yml")[0]
    scraped = {t.split(":")[0] for j in prom["scrape_configs"] for sc in j["static_configs"] for t in sc["targets"]}
    for name in ("scorer", "labeler", "trainer", "relabeler", "feeder"):
        if name not in scraped:
            err(f"prometheus: {name} not scraped")


def check_dashboards():
    for f in sorted((ROOT / "compose/grafana/dashboards").glob("*.json")):
        d = json.loads(f.read_text())
        if not d.get("uid") or f.stem != d["uid"]:
            err(f"{f.name}: uid missing or not the file name")
        if not any(v.get("type") == "datasource" and v.get("name") == "datasource" for v in d["templating"]["list"]):
            err(f"{f.name}: no datasource variable")
        for p in d["panels"]:
            if p["type"] != "row" and p.get("datasource", {}).get("uid") != "${datasource}":
                err(f"{f.name}: panel {p['title']!r} does not use the datasource variable")
    a, b = ROOT / "compose/grafana/dashboards", ROOT / "k8s/overlays/monitoring/dashboards"
    names = sorted(p.name for p in a.glob("*.json"))
    if names != sorted(p.name for p in b.glob("*.json")) or any((a / n).read_bytes() != (b / n).read_bytes() for n in names):
        err("k8s/overlays/monitoring/dashboards differs from compose/grafana/dashboards: run sync-dashboards.sh")


def seconds(duration):
    """A prefstream duration ("25s", "2m", "500ms") in seconds."""
    m = re.fullmatch(r"(\d+)(ms|s|m|h)", duration.strip())
    if not m:
        err(f"cannot read the duration {duration!r}")
        return 0
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def check_rendered(name, docs, topics):
    users = {d["metadata"]["name"] for d in docs if d["kind"] == "KafkaUser"}
    seen = {}
    for d in docs:
        kind, meta = d["kind"], d["metadata"]
        if kind == "KafkaTopic":
            spec = d["spec"]
            seen[spec.get("topicName", meta["name"])] = (spec["partitions"], spec["config"]["cleanup.policy"])
        if kind in ("Deployment", "StatefulSet", "Job"):
            pod = d["spec"]["template"]["spec"]
            for c in pod["containers"]:
                check_image(f"{name} {kind}/{meta['name']}", c.get("image"))
                if kind != "Job":
                    if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/health/ready":
                        err(f"{name} {meta['name']}: readiness probe is not /health/ready")
                    if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/health/live":
                        err(f"{name} {meta['name']}: liveness probe is not /health/live")
                    if "resources" not in c:
                        err(f"{name} {meta['name']}: no resources")
                    grace = pod.get("terminationGracePeriodSeconds", 30)
                    own = next((e.get("value") for e in c.get("env", []) if e["name"] == "PREFSTREAM_SHUTDOWN_GRACE"), "25s")
                    if seconds(own) >= grace:
                        err(f"{name} {meta['name']}: shutdown.grace {own} is not below terminationGracePeriodSeconds {grace}")
                for e in c.get("env", []):
                    ref = e.get("valueFrom", {}).get("secretKeyRef")
                    if ref and ref["name"] not in users:
                        err(f"{name} {meta['name']}: reads Secret {ref['name']} that no KafkaUser creates")
                    if "value" in e and re.search(r"password|secret|jaas", e["name"], re.I):
                        err(f"{name} {meta['name']}: inline secret in {e['name']}")
            for v in pod.get("volumes", []):
                s = v.get("secret", {}).get("secretName")
                if s and s not in users and s != "prefstream-cluster-ca-cert":
                    err(f"{name} {meta['name']}: mounts unknown Secret {s}")
    if seen.keys() != topics.keys():
        err(f"{name}: KafkaTopics {sorted(seen)} != catalogue {sorted(topics)}")
    for t, (parts, policy) in topics.items():
        if t in seen and seen[t] != (parts, policy):
            err(f"{name}: {t} is {seen[t]}, catalogue says {(parts, policy)}")


def main():
    for f in list((ROOT / "k8s").rglob("*.yaml")) + list((ROOT / "compose").rglob("*.yml")):
        load_all(f)
    topics = catalogue()
    check_compose()
    check_dashboards()
    kubectl = shutil.which("kubectl")
    targets = ["base"] + sorted(f"overlays/{p.name}" for p in (ROOT / "k8s/overlays").iterdir() if p.is_dir())
    for t in targets:
        if not kubectl:
            print("kubectl not found: skipping kustomize builds")
            break
        r = subprocess.run([kubectl, "kustomize", str(ROOT / "k8s" / t)], capture_output=True, text=True)
        if r.returncode:
            err(f"kustomize {t}: {r.stderr.strip()}")
            continue
        docs = [d for d in yaml.safe_load_all(r.stdout) if d]
        check_rendered(t, docs, topics)
        print(f"{t}: {len(docs)} resources")
    for e in errors:
        print("ERROR", e)
    print("ok" if not errors else f"{len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
