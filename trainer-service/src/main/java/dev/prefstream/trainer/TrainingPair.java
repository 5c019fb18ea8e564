package dev.prefstream.trainer;

import dev.prefstream.diffusion.train.BandLabels;
import dev.prefstream.diffusion.train.PreferencePair;

/**
 * A pair ready for a DPO step: its id, the decoded images in training order (winner first) and, for
 * pseudo-labelled pairs, the band labels relative to that order (null otherwise).
 */
public record TrainingPair(String pairId, PreferencePair pair, BandLabels bands) {

  public boolean banded() {
    return bands != null;
  }
}
