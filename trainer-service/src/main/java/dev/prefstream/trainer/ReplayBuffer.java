package dev.prefstream.trainer;

import dev.prefstream.diffusion.Rng;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The trainer's memory of labelled pairs, keyed by pair id: the latest label of a pair replaces the
 * earlier one (and makes the pair the newest), and when the buffer is full the pair updated longest
 * ago is evicted. Held-out pairs live in a separate bounded set that is never sampled for training.
 * Sampling draws distinct pairs with the caller's seeded {@link Rng}, so the same buffer contents and
 * generator state give the same batch. Not thread-safe: the trainer loop owns it.
 */
public final class ReplayBuffer {
  private final int capacity;
  private final int holdoutCapacity;
  private final LinkedHashMap<String, TrainingPair> training = new LinkedHashMap<>();
  private final LinkedHashMap<String, TrainingPair> holdout = new LinkedHashMap<>();
  private List<TrainingPair> snapshot;

  public ReplayBuffer(int capacity, int holdoutCapacity) {
    if (capacity <= 0 || holdoutCapacity < 0) {
      throw new IllegalArgumentException("capacity must be positive and the holdout capacity non-negative");
    }
    this.capacity = capacity;
    this.holdoutCapacity = holdoutCapacity;
  }

  /** Stores the pair's latest label, as a training pair or a held-out one; evicts the oldest when full. */
  public void put(TrainingPair pair, boolean heldOut) {
    remove(pair.pairId());
    LinkedHashMap<String, TrainingPair> target = heldOut ? holdout : training;
    int limit = heldOut ? holdoutCapacity : capacity;
    if (limit == 0) {
      return;
    }
    target.put(pair.pairId(), pair);
    if (target.size() > limit) {
      Iterator<String> oldest = target.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    snapshot = null;
  }

  /** Forgets the pair (its latest label gives nothing to train on). */
  public void remove(String pairId) {
    if (training.remove(pairId) != null) {
      snapshot = null;
    }
    holdout.remove(pairId);
  }

  /** Pairs available for training. */
  public int size() {
    return training.size();
  }

  public int holdoutSize() {
    return holdout.size();
  }

  public boolean contains(String pairId) {
    return training.containsKey(pairId);
  }

  /** The held-out pairs, oldest first. */
  public List<TrainingPair> holdout() {
    return List.copyOf(holdout.values());
  }

  /** {@code min(n, size())} distinct training pairs drawn uniformly with {@code rng}. */
  public List<TrainingPair> sample(int n, Rng rng) {
    if (snapshot == null) {
      snapshot = new ArrayList<>(training.values());
    }
    int k = Math.min(n, snapshot.size());
    int[] index = new int[snapshot.size()];
    for (int i = 0; i < index.length; i++) {
      index[i] = i;
    }
    List<TrainingPair> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(index.length - i);
      int chosen = index[j];
      index[j] = index[i];
      index[i] = chosen;
      out.add(snapshot.get(chosen));
    }
    return out;
  }
}
