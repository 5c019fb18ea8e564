package dev.prefstream.sim.pretrain;

import dev.prefstream.core.model.ModelStore;
import java.time.Duration;

/**
 * What a pretraining run did.
 *
 * @param steps optimizer steps taken
 * @param firstLoss mean training loss of the first steps (the same window as {@code finalLoss})
 * @param finalLoss mean training loss of the last steps (the last tenth, at most 50 steps)
 * @param probeLossBefore the denoising loss of the initial weights on a fixed seeded probe batch
 * @param probeLossAfter the same probe's loss of the published (averaged) weights
 * @param elapsed wall-clock time of the training loop
 * @param published the version written to the model store
 */
public record PretrainResult(long steps, double firstLoss, double finalLoss, double probeLossBefore,
    double probeLossAfter, Duration elapsed, ModelStore.Stored published) {}
