package dev.prefstream.sim.world;

/** A vote on a pair of images: image A, image B, or a tie (the symbols of the PreferenceVote schema). */
public enum Choice {
  A,
  B,
  TIE
}
