package dev.prefstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.diffusion.Rng;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {
  private final Random random = new Random(3);

  private TrainingPair pair(String id) {
    return Pairs.training(id, 4, random);
  }

  private static List<String> ids(List<TrainingPair> pairs) {
    return pairs.stream().map(TrainingPair::pairId).toList();
  }

  @Test
  void theLatestLabelOfAPairWins() {
    ReplayBuffer buffer = new ReplayBuffer(10, 10);
    buffer.put(pair("p1"), false);
    TrainingPair newer = pair("p1");
    buffer.put(newer, false);
    assertEquals(1, buffer.size());
    assertSame(newer, buffer.sample(5, new Rng(1)).get(0));
  }

  @Test
  void isBoundedAndEvictsThePairUpdatedLongestAgo() {
    ReplayBuffer buffer = new ReplayBuffer(3, 10);
    buffer.put(pair("p1"), false);
    buffer.put(pair("p2"), false);
    buffer.put(pair("p3"), false);
    buffer.put(pair("p1"), false); // p1 relabelled: now the newest
    buffer.put(pair("p4"), false);
    assertEquals(3, buffer.size());
    assertFalse(buffer.contains("p2"), "p2 was updated longest ago");
    assertTrue(buffer.contains("p1") && buffer.contains("p3") && buffer.contains("p4"));
  }

  @Test
  void heldOutPairsAreNeverSampledAndLiveInTheirOwnBoundedSet() {
    ReplayBuffer buffer = new ReplayBuffer(10, 2);
    buffer.put(pair("t1"), false);
    buffer.put(pair("t2"), false);
    buffer.put(pair("h1"), true);
    buffer.put(pair("h2"), true);
    buffer.put(pair("h3"), true);
    assertEquals(2, buffer.size());
    assertEquals(List.of("h2", "h3"), ids(buffer.holdout()), "bounded, oldest evicted");
    Rng rng = new Rng(9);
    for (int i = 0; i < 50; i++) {
      assertTrue(ids(buffer.sample(2, rng)).stream().allMatch(id -> id.startsWith("t")));
    }
    buffer.put(pair("t1"), true); // a later label holds t1 out
    assertEquals(1, buffer.size());
    assertEquals(List.of("h3", "t1"), ids(buffer.holdout()));
    buffer.remove("h3");
    assertEquals(List.of("t1"), ids(buffer.holdout()));
  }

  @Test
  void samplingIsDeterministicDistinctAndCapped() {
    ReplayBuffer buffer = new ReplayBuffer(100, 0);
    for (int i = 0; i < 40; i++) {
      buffer.put(pair("p" + i), false);
    }
    List<String> first = ids(buffer.sample(8, new Rng(42)));
    assertEquals(first, ids(buffer.sample(8, new Rng(42))));
    assertEquals(8, new HashSet<>(first).size(), "distinct pairs");
    assertTrue(!first.equals(ids(buffer.sample(8, new Rng(43)))), "another seed, another batch");
    Set<String> seen = new HashSet<>();
    Rng rng = new Rng(5);
    for (int i = 0; i < 100; i++) {
      seen.addAll(ids(buffer.sample(8, rng)));
    }
    assertEquals(40, seen.size(), "every pair gets sampled");
    ReplayBuffer small = new ReplayBuffer(10, 0);
    small.put(pair("only"), false);
    assertEquals(List.of("only"), ids(small.sample(8, new Rng(1))));
  }
}
