package dev.prefstream.sim.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.sim.world.Defects;
import dev.prefstream.sim.world.Renderer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CachedImageSourceTest {
  /**
   * An evaluation against a cached base gives the result of one against the base itself, and the
   * base is asked for each (prompt, seed) once however many evaluations use it.
   */
  @Test
  void aCachedBaseGivesTheSameEvaluationAndSamplesEachImageOnce() {
    List<Integer> asked = new ArrayList<>();
    // seeded per image, as a model's sampling is: the same (prompt, seed) gives the same image
    ImageSource noisy = (prompts, seeds) -> {
      asked.add(prompts.size());
      List<RgbImage> out = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        out.add(Defects.noise(Renderer.defaultSize().render(prompts.get(i)), 0.08, new SplittableRandom(seeds[i])));
      }
      return out;
    };
    EvaluationConfig config = EvaluatorTest.config(6, 2, true);
    Evaluator evaluator = new Evaluator(config);
    CachedImageSource cached = new CachedImageSource(noisy);
    List<RgbImage> warmed = evaluator.images(cached);
    int askedForWarmUp = asked.stream().mapToInt(Integer::intValue).sum();
    assertEquals(12, askedForWarmUp, "6 prompts x 2 seeds");
    assertEquals(12, cached.size());

    EvaluationResult direct = evaluator.evaluate(EvaluatorTest.IDEAL, noisy);
    asked.clear();
    EvaluationResult fromCache = evaluator.evaluate(EvaluatorTest.IDEAL, cached);
    EvaluationResult again = evaluator.evaluate(EvaluatorTest.IDEAL, cached);
    assertEquals(List.of(), asked, "the cached base was sampled again");
    for (int m = 0; m < direct.metrics().size(); m++) {
      assertEquals(direct.metrics().get(m).winRate(), fromCache.metrics().get(m).winRate(),
          direct.metrics().get(m).metric());
      assertEquals(fromCache.metrics().get(m).winRate(), again.metrics().get(m).winRate());
    }
    assertSame(warmed.get(0), fromCache.samples().get(0).base());
  }
}
