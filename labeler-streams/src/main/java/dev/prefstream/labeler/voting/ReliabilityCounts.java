package dev.prefstream.labeler.voting;

import dev.prefstream.avro.Side;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One task's per-scorer agreement counts with human labels, held in memory. Every pair state keeps
 * the contribution it last made ({@code countedHuman}, {@code countedSides}), so the counts are the
 * sum of those contributions over the task's pair store: a task sums them once when it starts and
 * then applies each pair's change. They are therefore exactly as durable as the pair store and cost
 * no store access per record (decision 0008).
 */
public final class ReliabilityCounts {
  private final Map<String, Reliability> byScorer = new HashMap<>();

  /** The counts of {@code scorer}, {@link Reliability#NONE} before its first counted vote. */
  public Reliability of(String scorer) {
    Reliability r = byScorer.get(scorer);
    return r == null ? Reliability.NONE : r;
  }

  /**
   * Replaces one pair's contribution: takes back {@code before} (its last counted human label and
   * scorer sides) and adds {@code after}; calls {@code changed} for each scorer whose counts moved.
   */
  public void replace(Side humanBefore, Map<String, Side> sidesBefore, Side humanAfter, Map<String, Side> sidesAfter,
      BiConsumer<String, Reliability> changed) {
    Map<String, long[]> delta = new HashMap<>(4);
    contribute(delta, humanBefore, sidesBefore, -1);
    contribute(delta, humanAfter, sidesAfter, 1);
    delta.forEach((scorer, d) -> {
      if (d[0] != 0 || d[1] != 0) {
        Reliability r = of(scorer).plus(d[0], d[1]);
        byScorer.put(scorer, r);
        changed.accept(scorer, r);
      }
    });
  }

  /** Adds a stored pair's contribution, when a task sums its pair store. */
  public void add(Side human, Map<String, Side> sides) {
    replace(Side.ABSTAIN, Map.of(), human, sides, (scorer, r) -> { });
  }

  /** The counts by scorer, a copy. */
  public Map<String, Reliability> snapshot() {
    return Map.copyOf(byScorer);
  }

  private static void contribute(Map<String, long[]> delta, Side human, Map<String, Side> sides, int sign) {
    if (human == Side.ABSTAIN) {
      return;
    }
    sides.forEach((scorer, side) -> {
      if (side != Side.ABSTAIN) {
        long[] d = delta.computeIfAbsent(scorer, s -> new long[2]);
        d[1] += sign;
        d[0] += side == human ? sign : 0;
      }
    });
  }
}
