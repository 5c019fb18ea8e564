/**
 * {@code prefstream bench scorer}: the scoring service's throughput against the same scoring done
 * in-process, on generated votes ({@link dev.prefstream.scorer.bench.ScorerBenchmark}).
 */
package dev.prefstream.scorer.bench;
