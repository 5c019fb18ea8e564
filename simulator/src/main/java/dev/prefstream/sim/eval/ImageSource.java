package dev.prefstream.sim.eval;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.sim.world.Prompt;
import java.util.List;

/**
 * Something that makes one image per (prompt, seed): a model version ({@link ModelImageSource}) or,
 * in tests and calibrations, the ideal renderer with or without defects. The same prompt and seed
 * must always give the same image.
 */
@FunctionalInterface
public interface ImageSource {

  /** One image per prompt, {@code prompts.get(i)} with {@code seeds[i]}. */
  List<RgbImage> generate(List<Prompt> prompts, long[] seeds);
}
