package dev.prefstream.sim.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.scorer.ScorerRegistry;
import dev.prefstream.sim.pretrain.TinyModels;
import dev.prefstream.sim.world.Defects;
import dev.prefstream.sim.world.Prompt;
import dev.prefstream.sim.world.PromptSplit;
import dev.prefstream.sim.world.Renderer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
  static final ImageSource IDEAL = (prompts, seeds) -> prompts.stream().map(Renderer.defaultSize()::render).toList();
  static final ImageSource BLURRED = (prompts, seeds) -> prompts.stream()
      .map(p -> Defects.blur(Renderer.defaultSize().render(p), 1.5)).toList();

  static EvaluationConfig config(int prompts, int seeds, boolean keep) {
    List<Long> seedList = java.util.stream.LongStream.range(0, seeds).boxed().toList();
    EvaluationConfig c = new EvaluationConfig(EvaluationConfig.heldOut(prompts), seedList,
        ScorerRegistry.BUILTIN_KINDS, 1000, 7, 16, false);
    return keep ? c.keepingImages() : c;
  }

  @Test
  void aCandidateEqualToTheBaseNeverWinsAndAlwaysTies(@TempDir Path dir) {
    ModelStore store = new ModelStore(dir);
    TinyModels.publishBase(store, 2);
    try (ModelImageSource candidate = ModelImageSource.fromStore(store, "unet", 0, 4, 3f);
        ModelImageSource base = ModelImageSource.fromStore(store, "unet", 0, 4, 3f)) {
      EvaluationResult result = new Evaluator(config(8, 1, true)).evaluate(candidate, base);
      assertEquals(8, result.prompts());
      assertEquals(ScorerRegistry.BUILTIN_KINDS.size() + Evaluator.ORACLE_METRICS.size(), result.metrics().size());
      for (MetricResult m : result.metrics()) {
        assertEquals(0.0, m.winRate(), m.metric());
        assertEquals(1.0, m.tieRate(), m.metric());
        assertEquals(0.0, m.meanDelta(), m.metric());
        assertEquals(0.0, m.ciHigh(), m.metric());
      }
      assertEquals(8, result.samples().size());
      for (EvaluationResult.Sample s : result.samples()) {
        assertEquals(s.base(), s.candidate());
      }
    }
  }

  @Test
  void theIdealRendererBeatsABlurredOneOnDetailWithACiExcludingAHalf() {
    EvaluationResult result = new Evaluator(config(24, 1, false)).evaluate(IDEAL, BLURRED);
    MetricResult detail = result.metric("oracle.detail");
    assertTrue(detail.winRate() > 0.9, result.table());
    assertTrue(detail.ciLow() > 0.5, result.table());
    assertTrue(detail.meanDelta() > 0, result.table());
    MetricResult scorer = result.metric("detail");
    assertTrue(scorer.ciLow() > 0.5, result.table());
    assertTrue(result.samples().isEmpty());
  }

  /** The parts say what changed: grain added to the ideal render costs flatness on every image and no size. */
  @Test
  void addedGrainShowsAsLostFlatnessWhileTheSizeStays() {
    ImageSource grainy = (prompts, seeds) -> {
      java.util.List<RgbImage> out = new java.util.ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        out.add(Defects.noise(Renderer.defaultSize().render(prompts.get(i)), 0.05, new java.util.Random(seeds[i])));
      }
      return out;
    };
    EvaluationResult result = new Evaluator(config(24, 1, false)).evaluate(grainy, IDEAL);
    assertEquals(0, result.metric("oracle.flatness").winRate(), result.table());
    assertTrue(result.metric("oracle.flatness").meanDelta() < 0, result.table());
    assertTrue(Math.abs(result.metric("oracle.size").meanDelta()) < Math.abs(result.metric("oracle.flatness").meanDelta()),
        result.table());
  }

  @Test
  void theBootstrapIntervalContainsThePointEstimate() {
    // a noisy comparison: half the prompts rendered blurred, the other half with a wrong background
    ImageSource mixed = (prompts, seeds) -> {
      java.util.List<RgbImage> out = new java.util.ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        Prompt p = prompts.get(i);
        RgbImage ideal = Renderer.defaultSize().render(p);
        out.add(p.hashCode() % 2 == 0 ? Defects.blur(ideal, 1.0) : Defects.noise(ideal, 0.08, new java.util.SplittableRandom(seeds[i])));
      }
      return out;
    };
    EvaluationResult result = new Evaluator(config(30, 2, false)).evaluate(mixed, BLURRED);
    for (MetricResult m : result.metrics()) {
      assertTrue(m.ciLow() <= m.winRate() && m.winRate() <= m.ciHigh(), m.toString());
      assertTrue(m.winRate() + m.tieRate() <= 1.0 + 1e-12, m.toString());
    }
    assertTrue(result.table().contains("oracle.overall"));
    assertTrue(PromptSplit.standard().heldOut().containsAll(EvaluationConfig.heldOut(30)));
  }

  @Test
  void thePromptSetIsHeldOutByDefaultOrTheTrainingPrompts() {
    EvaluationConfig heldOut = EvaluationConfig.from(PrefstreamConfig.of(
        Map.of("eval.prompts", "30")));
    EvaluationConfig training = EvaluationConfig.from(PrefstreamConfig.of(
        Map.of("eval.prompts", "30", "eval.prompt-set", "training")));
    assertTrue(PromptSplit.standard().heldOut().containsAll(heldOut.prompts()));
    assertTrue(PromptSplit.standard().training().containsAll(training.prompts()));
    assertEquals(30, training.prompts().size());
    assertTrue(Collections.disjoint(heldOut.prompts(), training.prompts()));
    assertThrows(IllegalArgumentException.class, () -> EvaluationConfig.from(
        PrefstreamConfig.of(Map.of("eval.prompt-set", "all"))));
  }
}
