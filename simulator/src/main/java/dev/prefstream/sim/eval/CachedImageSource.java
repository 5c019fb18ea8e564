package dev.prefstream.sim.eval;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.sim.world.Prompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers every image of another source by (prompt, seed), so the base of a series of evaluations
 * is sampled once. Right because an {@link ImageSource} gives the same image for the same prompt and
 * seed. Safe to share between threads; the delegate is called by one thread at a time.
 */
public final class CachedImageSource implements ImageSource {
  private final ImageSource delegate;
  private final Map<String, RgbImage> cache = new HashMap<>();

  public CachedImageSource(ImageSource delegate) {
    this.delegate = delegate;
  }

  @Override
  public synchronized List<RgbImage> generate(List<Prompt> prompts, long[] seeds) {
    List<Prompt> missingPrompts = new ArrayList<>();
    List<Long> missingSeeds = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      if (!cache.containsKey(key(prompts.get(i), seeds[i]))) {
        missingPrompts.add(prompts.get(i));
        missingSeeds.add(seeds[i]);
      }
    }
    if (!missingPrompts.isEmpty()) {
      List<RgbImage> made = delegate.generate(missingPrompts, missingSeeds.stream().mapToLong(Long::longValue).toArray());
      for (int i = 0; i < made.size(); i++) {
        cache.put(key(missingPrompts.get(i), missingSeeds.get(i)), made.get(i));
      }
    }
    List<RgbImage> out = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      out.add(cache.get(key(prompts.get(i), seeds[i])));
    }
    return out;
  }

  /** Images held. */
  public synchronized int size() {
    return cache.size();
  }

  private static String key(Prompt prompt, long seed) {
    return seed + "|" + prompt.text();
  }
}
