package dev.prefstream.labeler.state;

import dev.prefstream.avro.Route;
import dev.prefstream.avro.Side;

/**
 * What downstream readers act on: a label event is emitted exactly when this changes. A pair below
 * quorum or with a tied human tally is {@link #PENDING}, which is also every pair's initial decision,
 * so pending pairs produce no events until they are first routed.
 */
public record Decision(Route route, Side human, Side consensus, Side training) {
  public static final Decision PENDING = new Decision(Route.PENDING, Side.ABSTAIN, Side.ABSTAIN, Side.ABSTAIN);
}
