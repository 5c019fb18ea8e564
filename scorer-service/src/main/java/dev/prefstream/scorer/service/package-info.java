/**
 * The scoring service: a transactional consume-transform-produce loop from {@code prefs.votes} to
 * {@code prefs.scored}, with dead letters on {@code prefs.dlq} in the same transaction.
 *
 * <p>{@link dev.prefstream.scorer.service.ScoringService} is the {@code Service} the launcher runs
 * ({@code ScoringService.create(config, clients, registry)}); its settings are
 * {@link dev.prefstream.scorer.service.ScorerConfig}; the Kafka-free scoring of one batch is
 * {@link dev.prefstream.scorer.service.BatchScorer}; meters are listed on
 * {@link dev.prefstream.scorer.service.ScorerMetrics}.
 */
package dev.prefstream.scorer.service;
