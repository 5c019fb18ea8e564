package dev.prefstream.sim.pretrain;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.Renderer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An endless seeded stream of training batches: uniformly drawn prompts rendered with the defects of
 * a {@link DefectMix}. The same seed gives the same batches; it counts the defects it has drawn.
 */
public final class DefectiveRenders {
  private final List<Prompt> prompts;
  private final DefectMix defects;
  private final Renderer renderer;
  private final SplittableRandom rng;
  private final Map<DefectMix.Kind, Long> counts = new EnumMap<>(DefectMix.Kind.class);

  public DefectiveRenders(List<Prompt> prompts, DefectMix defects, Renderer renderer, long seed) {
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("no prompts to train on");
    }
    this.prompts = List.copyOf(prompts);
    this.defects = defects;
    this.renderer = renderer;
    this.rng = new SplittableRandom(seed);
  }

  /** A batch of images and their captions (the intended prompts' texts). */
  public record Batch(List<RgbImage> images, List<String> captions) {}

  public Batch next(int size) {
    List<RgbImage> images = new ArrayList<>(size);
    List<String> captions = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      DefectMix.Sample s = defects.sample(prompts.get(rng.nextInt(prompts.size())), renderer, rng);
      images.add(s.image());
      captions.add(s.caption().text());
      counts.merge(s.kind(), 1L, Long::sum);
    }
    return new Batch(images, captions);
  }

  /** How many samples of each kind were drawn so far. */
  public Map<DefectMix.Kind, Long> counts() {
    return Map.copyOf(counts);
  }
}
