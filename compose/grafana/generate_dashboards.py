#!/usr/bin/env python3
"""Writes compose/grafana/dashboards/*.json (the source of the dashboards is this file).

    python3 compose/grafana/generate_dashboards.py

Then copy them for Kubernetes: k8s/overlays/monitoring/sync-dashboards.sh. Metric names follow
Micrometer's Prometheus naming: prefstream.<area>.<what> -> prefstream_<area>_<what>, counters
_total, timers _seconds_{count,sum,bucket}; every series carries an `application` label.
"""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent / "dashboards"
DS = {"type": "prometheus", "uid": "${datasource}"}
RI = "$__rate_interval"
APP = 'application=~"$application"'


def templating(app_query="jvm_memory_used_bytes"):
    return {"list": [
        {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0, "refresh": 1, "regex": "", "options": []},
        {"name": "application", "label": "Application", "type": "query", "datasource": DS,
         "query": {"query": f"label_values({app_query}, application)", "refId": "app"},
         "definition": f"label_values({app_query}, application)",
         "includeAll": True, "multi": True, "allValue": ".*", "current": {"text": "All", "value": "$__all"},
         "refresh": 2, "sort": 1, "hide": 0, "options": []},
    ]}


class Board:
    def __init__(self, uid, title, description, app_query="jvm_memory_used_bytes"):
        self.uid, self.title, self.description, self.app_query = uid, title, description, app_query
        self.panels, self.y, self.x, self.row_h, self.next_id = [], 0, 0, 0, 1

    def row(self, title):
        self._newline()
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False, "panels": [],
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}})
        self.y += 1

    def panel(self, title, targets, kind="timeseries", w=12, h=8, unit=None, description=None, stack=False,
              min_=None, max_=None, thresholds=None, threshold_line=False, legend="list", extra=None):
        if self.x + w > 24:
            self._newline()
        defaults = {"custom": {}}
        if kind == "timeseries":
            defaults["custom"] = {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 20 if stack else 5,
                                  "showPoints": "never", "spanNulls": True,
                                  "stacking": {"mode": "normal" if stack else "none", "group": "A"},
                                  "thresholdsStyle": {"mode": "line+area" if threshold_line else "off"}}
        if unit:
            defaults["unit"] = unit
        if min_ is not None:
            defaults["min"] = min_
        if max_ is not None:
            defaults["max"] = max_
        defaults["thresholds"] = {"mode": "absolute", "steps": thresholds or [{"color": "green", "value": None}]}
        p = {"id": self._id(), "type": kind, "title": title, "datasource": DS,
             "gridPos": {"h": h, "w": w, "x": self.x, "y": self.y},
             "fieldConfig": {"defaults": defaults, "overrides": []},
             "targets": [self._target(t, i) for i, t in enumerate(targets)]}
        if description:
            p["description"] = description
        if kind == "timeseries":
            p["options"] = {"legend": {"displayMode": legend, "placement": "bottom", "showLegend": True},
                            "tooltip": {"mode": "multi", "sort": "desc"}}
        elif kind in ("stat", "bargauge", "gauge"):
            p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                            "orientation": "auto"}
        if extra:
            p.update(extra)
        self.panels.append(p)
        self.x += w
        self.row_h = max(self.row_h, h)

    def _newline(self):
        if self.x:
            self.y += self.row_h
        self.x, self.row_h = 0, 0

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    @staticmethod
    def _target(t, i):
        expr, legend = t if isinstance(t, tuple) else (t, "")
        out = {"datasource": DS, "expr": expr, "legendFormat": legend or "__auto", "refId": chr(ord("A") + i),
               "range": True}
        return out

    def write(self, tags):
        doc = {"uid": self.uid, "title": self.title, "description": self.description, "tags": ["prefstream"] + tags,
               "editable": True, "graphTooltip": 1, "schemaVersion": 39, "version": 1, "refresh": "10s",
               "time": {"from": "now-1h", "to": "now"}, "timepicker": {}, "timezone": "browser",
               "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                                         "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                                         "name": "Annotations & Alerts", "type": "dashboard"}]},
               "templating": templating(self.app_query), "links": [
                   {"title": "prefstream", "type": "dashboards", "tags": ["prefstream"], "asDropdown": True,
                    "includeVars": True, "keepTime": True}],
               "panels": self.panels}
        path = OUT / f"{self.uid}.json"
        path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def rate(metric, by=None, extra=""):
    sel = APP + ("," + extra if extra else "")
    inner = f"rate({metric}{{{sel}}}[{RI}])"
    return f"sum by ({by}) ({inner})" if by else f"sum({inner})"


def label_flow():
    b = Board("prefstream-label-flow", "prefstream — label flow",
              "Votes in, scoring, majority-vote routing (clean / conflicting / relabeled), dead letters, "
              "decision latency and per-scorer agreement with humans.",
              app_query="jvm_memory_used_bytes")
    b.row("Throughput")
    b.panel("Votes in /s", [
        (rate("kafka_producer_topic_record_send_total", extra='topic="prefs.votes"'), "produced to prefs.votes"),
        (rate("kafka_producer_topic_record_send_total", extra='topic="prefs.votes.json"'),
         "produced to prefs.votes.json (our clients)"),
        (rate("prefstream_labeler_votes_in_total"), "scored votes accepted by the labeler"),
        (rate("prefstream_labeler_votes_duplicate_total"), "duplicates dropped")],
        unit="ops", description="Producer rates come from Micrometer's Kafka client binder (prefstream "
        "producers only; external clients are not seen here).")
    b.panel("Scored pairs /s", [
        (rate("prefstream_scorer_records_out_total"), "scored pairs produced (committed)"),
        (rate("prefstream_scorer_records_in_total"), "votes consumed (committed)"),
        (rate("prefstream_scorer_transactions_aborted_total"), "aborted transactions")],
        unit="ops")
    b.panel("Routed pairs /s (stacked)", [
        (rate("prefstream_labeler_pairs_clean_total"), "clean"),
        (rate("prefstream_labeler_pairs_conflicting_total"), "conflicting"),
        (rate("prefstream_labeler_pairs_relabeled_total"), "relabeled")],
        unit="ops", stack=True, description="Decision changes that routed a pair, and conflicting pairs "
        "published with pseudo-labels.", w=16)
    b.panel("Conflicting share", [
        (f"sum(rate(prefstream_labeler_pairs_conflicting_total{{{APP}}}[{RI}])) / "
         f"sum(rate(prefstream_labeler_pairs_decided_total{{{APP}}}[{RI}]))", "conflicting / decided")],
        unit="percentunit", min_=0, max_=1, w=8)
    b.row("Dead letters")
    b.panel("Dead letters /s by stage and reason", [
        (rate("prefstream_dlq_records_total", by="stage, reason"), "{{stage}} · {{reason}}")],
        unit="ops", stack=True, w=9, legend="table")
    b.panel("Labeler dead letters /s by reason", [
        (rate("prefstream_labeler_dead_letters_total", by="reason"), "{{reason}}")],
        unit="ops", stack=True, w=9, legend="table")
    b.panel("Lost dead letters /s by stage", [
        (rate("prefstream_dlq_failed_total", by="stage"), "{{stage}}")],
        unit="ops", w=6, legend="table", description="Dead letters that could not be written (logged, not "
        "sent again): their records are in no topic. Should stay at 0.")
    b.row("Decisions")
    q = lambda p: (f"histogram_quantile({p}, sum by (le) (rate(prefstream_labeler_decision_latency_seconds_bucket"
                   f"{{{APP}}}[{RI}])))", f"p{int(p * 100)}")
    b.panel("Decision latency (vote timestamp to label event)", [q(0.5), q(0.95), q(0.99)], unit="s")
    b.panel("Per-scorer agreement with humans", [
        (f"avg by (scorer) (prefstream_labeler_scorer_agreement{{{APP}}})", "{{scorer}}")],
        unit="percentunit", min_=0, max_=1, description="Share of a scorer's non-abstaining votes that matched "
        "the human label (averaged over labeler instances).")
    b.panel("Agreement now", [
        (f"avg by (scorer) (prefstream_labeler_scorer_agreement{{{APP}}})", "{{scorer}}")],
        kind="bargauge", unit="percentunit", min_=0, max_=1, w=24, h=6,
        thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0.5},
                    {"color": "green", "value": 0.7}])
    return b.write(["labels"])


def training():
    b = Board("prefstream-training", "prefstream — training",
              "Continuous Diffusion-DPO: loss, implicit accuracy, reward margin, step time, throughput, "
              "replay buffer, published model version and consumer lag.")
    by = "{{model}}"
    b.row("Objective")
    b.panel("DPO loss (last step)", [(f"prefstream_trainer_loss{{{APP}}}", by)], w=8)
    b.panel("Implicit accuracy", [
        (f"prefstream_trainer_implicit_accuracy{{{APP}}}", "{{model}} last batch"),
        (f"prefstream_trainer_holdout_accuracy{{{APP}}}", "{{model}} newest version on held-out pairs")],
        unit="percentunit", min_=0, max_=1, w=8, threshold_line=True,
        thresholds=[{"color": "transparent", "value": None}, {"color": "red", "value": 0.5}],
        description="Share of pairs whose implicit reward prefers the chosen image (z > 0); the red line "
        "marks chance (0.5).")
    b.panel("Reward margin (mean z of the last batch)", [(f"prefstream_trainer_reward_margin{{{APP}}}", by)], w=8)
    b.row("Throughput")
    b.panel("Step time", [
        (f"sum by (model) (rate(prefstream_trainer_step_time_seconds_sum{{{APP}}}[{RI}])) / "
         f"sum by (model) (rate(prefstream_trainer_step_time_seconds_count{{{APP}}}[{RI}]))", "{{model}} mean"),
        (f"max by (model) (prefstream_trainer_step_time_seconds_max{{{APP}}})", "{{model}} max")], unit="s", w=8)
    b.panel("Pairs /s", [
        (rate("prefstream_trainer_pairs_trained_total", by="model"), "{{model}} trained"),
        (f"prefstream_trainer_pairs_per_second{{{APP}}}", "{{model}} trained (trainer's own estimate)"),
        (rate("prefstream_trainer_pairs_consumed_total", by="model, outcome"), "{{model}} consumed: {{outcome}}")],
        unit="ops", w=8)
    b.panel("Replay buffer and holdout", [
        (f"prefstream_trainer_buffer_size{{{APP}}}", "{{model}} replay buffer"),
        (f"prefstream_trainer_holdout_size{{{APP}}}", "{{model}} holdout")], unit="short", w=8)
    b.row("Versions and input")
    b.panel("Published model version", [(f"max by (model) (prefstream_trainer_published_version{{{APP}}})", by)],
            kind="stat", unit="none", w=4)
    b.panel("Optimizer steps", [(f"max by (model) (prefstream_trainer_step{{{APP}}})", by)],
            kind="stat", unit="none", w=4)
    b.panel("Model version over time", [(f"max by (model) (prefstream_trainer_published_version{{{APP}}})", by)],
            unit="none", w=6)
    b.panel("Consumer lag", [
        (f"prefstream_trainer_consumer_lag{{{APP}}}", "trainer {{model}} (feed topics)"),
        (f'max by (application, topic) (kafka_consumer_fetch_manager_records_lag_max{{{APP}, '
         f'topic=~"prefs\\\\.(clean|relabeled|conflicting|model-versions)"}})', "{{application}} {{topic}} (client)")],
        unit="short", w=10, description="The trainer's own gauge (records on prefs.clean and prefs.relabeled not "
        "yet consumed) and, from Micrometer's Kafka client binder, the max lag per topic of every reader.")
    return b.write(["training"])


def model_quality():
    b = Board("prefstream-model-quality", "prefstream — model quality",
              "Pseudo-label precision, per-anchor dynamic thresholds and evaluation win rates per model version.")
    b.row("Pseudo-labels")
    b.panel("Pseudo-label precision", [
        (f'avg by (against) (prefstream_relabeler_precision{{{APP}}})', "vs {{against}}")],
        unit="percentunit", min_=0, max_=1, description="against=holdout: held-out human labels; "
        "against=truth: simulator ground truth (built-in world only).")
    b.panel("Pseudo-labels published /s by anchor", [
        (rate("prefstream_relabeler_pseudo_labels_total", by="anchor"), "t={{anchor}}")], unit="ops", stack=True)
    b.panel("Per-anchor thresholds", [
        (f"avg by (anchor) (prefstream_relabeler_threshold{{{APP}}})", "t={{anchor}}")], w=24)
    b.row("Evaluation")
    b.panel("Newest version: implicit accuracy on held-out human pairs", [
        (f"prefstream_trainer_holdout_accuracy{{{APP}}}", "{{model}}")],
        unit="percentunit", min_=0, max_=1, w=12, threshold_line=True,
        thresholds=[{"color": "transparent", "value": None}, {"color": "red", "value": 0.5}])
    b.panel("Published version", [(f"max by (model) (prefstream_trainer_published_version{{{APP}}})", "{{model}}")],
            unit="none", w=12)
    b.panel("Win rate vs base model, per version", [
        (f'max by (version, metric) (prefstream_eval_win_rate{{{APP}}})', "v{{version}} {{metric}}")],
        unit="percentunit", min_=0, max_=1, w=14, threshold_line=True,
        thresholds=[{"color": "transparent", "value": None}, {"color": "red", "value": 0.5}])
    b.panel("Latest win rates", [
        (f'max by (version, metric) (prefstream_eval_win_rate{{{APP}}})', "v{{version}} {{metric}}")],
        kind="table", w=10, extra={"options": {"showHeader": True},
                                   "transformations": [{"id": "reduce", "options": {"reducers": ["lastNotNull"]}}]})
    return b.write(["quality"])


def jvm_kafka():
    b = Board("prefstream-jvm-kafka", "prefstream — JVM and Kafka clients",
              "Heap and threads per process, Kafka producer/consumer rates and lag, Kafka Streams threads.")
    b.row("JVM")
    b.panel("Heap used", [(f'sum by (application, instance) (jvm_memory_used_bytes{{{APP}, area="heap"}})',
                           "{{application}} {{instance}}")], unit="bytes", w=8)
    b.panel("Non-heap used", [(f'sum by (application, instance) (jvm_memory_used_bytes{{{APP}, area="nonheap"}})',
                               "{{application}} {{instance}}")], unit="bytes", w=8)
    b.panel("Live threads", [(f"jvm_threads_live_threads{{{APP}}}", "{{application}} {{instance}}")], w=8)
    b.panel("Process CPU", [(f"process_cpu_usage{{{APP}}}", "{{application}} {{instance}}")],
            unit="percentunit", w=12)
    b.panel("GC pause time /s", [(rate("jvm_gc_pause_seconds_sum", by="application, gc"), "{{application}} {{gc}}")],
            unit="s", w=12, description="Only for processes that bind Micrometer's JvmGcMetrics.")
    b.row("Kafka clients")
    b.panel("Records produced /s by topic", [
        (rate("kafka_producer_topic_record_send_total", by="application, topic"), "{{application}} → {{topic}}")],
        unit="ops", w=12)
    b.panel("Records consumed /s by topic", [
        (rate("kafka_consumer_fetch_manager_records_consumed_total", by="application, topic",
              extra='topic!=""'), "{{application}} ← {{topic}}")], unit="ops", w=12)
    b.panel("Consumer lag (max)", [
        (f"max by (application, topic) (kafka_consumer_fetch_manager_records_lag_max{{{APP}}})",
         "{{application}} {{topic}}")], unit="short", w=12)
    b.panel("Producer errors and retries /s", [
        (rate("kafka_producer_record_error_total", by="application"), "{{application}} errors"),
        (rate("kafka_producer_record_retry_total", by="application"), "{{application}} retries")], unit="ops", w=12)
    b.row("Scorer internals")
    b.panel("Batch latency (decode to committed transaction)", [
        (f"sum(rate(prefstream_scorer_batch_latency_seconds_sum{{{APP}}}[{RI}])) / "
         f"sum(rate(prefstream_scorer_batch_latency_seconds_count{{{APP}}}[{RI}]))", "mean"),
        (f"max(prefstream_scorer_batch_latency_seconds_max{{{APP}}})", "max"),
        (f"sum(rate(prefstream_scorer_image_fetch_latency_seconds_sum{{{APP}}}[{RI}])) / "
         f"sum(rate(prefstream_scorer_image_fetch_latency_seconds_count{{{APP}}}[{RI}]))", "image fetch, mean")],
        unit="s", w=8)
    b.panel("Per-scorer call latency (mean)", [
        (f"sum by (scorer) (rate(prefstream_scorer_scoring_latency_seconds_sum{{{APP}}}[{RI}])) / "
         f"sum by (scorer) (rate(prefstream_scorer_scoring_latency_seconds_count{{{APP}}}[{RI}]))", "{{scorer}}")],
        unit="s", w=8)
    b.panel("Images scored /s and cache hit ratio", [
        (rate("prefstream_scorer_images_total", by="scorer"), "{{scorer}} images/s"),
        (f"avg(prefstream_scorer_cache_hit_ratio{{{APP}}})", "cache hit ratio"),
        (f"sum(rate(prefstream_scorer_batch_size_records_sum{{{APP}}}[{RI}])) / "
         f"sum(rate(prefstream_scorer_batch_size_records_count{{{APP}}}[{RI}]))", "records per batch")],
        w=8, extra={"fieldConfig": {"defaults": {"custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 5,
            "showPoints": "never", "spanNulls": True}, "thresholds": {"mode": "absolute", "steps": [
            {"color": "green", "value": None}]}}, "overrides": [
            {"matcher": {"id": "byName", "options": "cache hit ratio"}, "properties": [
                {"id": "unit", "value": "percentunit"}, {"id": "custom.axisPlacement", "value": "right"}]}]}})
    b.row("Kafka Streams (labeler)")
    b.panel("Stream thread process rate", [
        (f"sum by (application) (kafka_stream_thread_process_rate{{{APP}}})", "{{application}}")], unit="ops", w=8)
    b.panel("Commit latency (avg)", [
        (f"avg by (application) (kafka_stream_thread_commit_latency_avg{{{APP}}})", "{{application}}")],
        unit="ms", w=8)
    b.panel("Stream thread time blocked on Kafka", [
        (f"sum by (application, thread_id) (rate(kafka_stream_thread_blocked_time_ns_total{{{APP}}}[{RI}])) / 1e9",
         "{{application}} {{thread_id}}")], unit="percentunit", w=8)
    return b.write(["jvm", "kafka"])


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for f in (label_flow, training, model_quality, jvm_kafka):
        print(f())
