package dev.prefstream.scorer.torchscript;

import ai.djl.translate.TranslateException;
import dev.prefstream.scorer.Scorer;
import dev.prefstream.scorer.ScoringException;
import dev.prefstream.scorer.ScoringItem;
import dev.prefstream.scorer.Versioned;
import java.util.List;

/**
 * What the TorchScript scorers share: name and version, nothing to run for an empty batch, a model
 * failure reported as a {@link ScoringException}, and closing the predictors (and tokenizer) the
 * scorer owns. One instance per thread: DJL predictors are not shared.
 */
abstract class TorchScriptScorer extends Versioned implements Scorer {
  private final Owned owned;

  TorchScriptScorer(String name, String version, Owned owned) {
    super(name, version);
    this.owned = owned;
  }

  @Override
  public final double[] score(List<ScoringItem> items) {
    if (items.isEmpty()) {
      return new double[0];
    }
    try {
      return scoreBatch(items);
    } catch (TranslateException e) {
      throw new ScoringException(name() + ": model failed on a batch of " + items.size(), e);
    }
  }

  /** One score per item of a non-empty batch. */
  abstract double[] scoreBatch(List<ScoringItem> items) throws TranslateException;

  @Override
  public final void close() {
    owned.close();
  }
}
