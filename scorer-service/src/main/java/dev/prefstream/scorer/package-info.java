/**
 * Scorers: functions that rate how good an image is for its prompt, the SPI they implement, the
 * built-in pixel scorers, the TorchScript reward-model scorers, the score cache, and the registry
 * that builds the configured set from spec strings.
 *
 * <p>Threading: a {@link dev.prefstream.scorer.ScorerFactory} is shared; each worker thread asks
 * it for its own {@link dev.prefstream.scorer.Scorer} and never shares that instance.
 */
package dev.prefstream.scorer;
