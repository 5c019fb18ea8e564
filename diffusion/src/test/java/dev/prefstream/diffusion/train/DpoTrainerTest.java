package dev.prefstream.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.ImageTensors;
import dev.prefstream.diffusion.Rng;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.model.DenoiserModel;
import dev.prefstream.diffusion.model.UNetConfig;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DpoTrainerTest {
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.ddpm();
  private static final DpoConfig CONFIG = DpoConfig.defaults().withLearningRate(1e-3f, 0);

  private static List<PreferencePair> pairs(int n, long seed) {
    Random random = new Random(seed);
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pairs.add(new PreferencePair(TestImages.square(8, true, random),
          TestImages.square(8, false, random), "a red square"));
    }
    return pairs;
  }

  /**
   * The same first step on model errors: a v-network's z is its noise-error z divided by abar_t of the
   * pair's timestep (same seed, so the same t, noise and caption dropout; the same float32 errors,
   * scaled once more in float32, hence the 1e-5 relative tolerance).
   */
  @Test
  void modelErrorsDivideAVNetworksZByAlphaBar() {
    UNetConfig v = new UNetConfig(8, 8, 4, 8, TestImages.WORDS, 6, UNetConfig.Prediction.V,
        UNetConfig.PromptEncoder.ORDERED);
    List<PreferencePair> pair = pairs(1, 3);
    double[] margins = new double[2];
    DpoErrors[] errors = {DpoErrors.NOISE, DpoErrors.MODEL};
    for (int i = 0; i < 2; i++) {
      DpoConfig config = new DpoConfig(CONFIG.beta(), CONFIG.convention(), errors[i], CONFIG.learningRate(),
          CONFIG.warmupSteps(), CONFIG.weightDecay(), CONFIG.maxGradNorm(), CONFIG.captionDropout(),
          CONFIG.referenceUpdate(), CONFIG.bands(), CONFIG.klWeight());
      try (UNetDenoiser policy = UNetDenoiser.create(v, 1); UNetDenoiser reference = UNetDenoiser.create(v, 2);
          DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, config, 11)) {
        margins[i] = trainer.step(pair).rewardMargin();
      }
    }
    double ratio = margins[1] / margins[0];
    boolean found = false;
    for (int t = 0; t < SCHEDULE.steps() && !found; t++) {
      found = Math.abs(ratio * SCHEDULE.alphaBar(t) - 1) < 1e-5;
    }
    assertTrue(margins[0] != 0 && found, "z ratio " + ratio + " is 1 / abar_t for no t");
  }

  /**
   * The KL penalty pulls the policy's predicted noise towards the reference's: on pairs whose two images
   * are one image DPO's z is 0 and its gradient cancels (winner and loser share noise, timestep and
   * tokens), so only the penalty acts: against a different reference, 30 steps shrink the squared
   * difference of the two models' predictions.
   */
  @Test
  void theKlPenaltyAlonePullsThePolicyTowardsTheReference() {
    Random random = new Random(9);
    List<PreferencePair> same = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RgbImage image = TestImages.square(8, i % 2 == 0, random);
      same.add(new PreferencePair(image, image, "a red square"));
    }
    DpoConfig config = CONFIG.withKlWeight(1).withCaptionDropout(0);
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = UNetDenoiser.create(TestImages.tinyConfig(), 2);
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, config, 3)) {
      double before = predictionGap(policy, reference, same);
      for (int i = 0; i < 30; i++) {
        trainer.step(same);
      }
      double after = predictionGap(policy, reference, same);
      assertTrue(after < 0.8 * before, "gap " + before + " -> " + after);
    }
  }

  /** Mean squared difference of the two models' predicted noise on the winners at t = 100, 500, 900. */
  private static double predictionGap(DenoiserModel a, DenoiserModel b, List<PreferencePair> pairs) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x0 = ImageTensors.toModelSpace(manager, pairs.stream().map(PreferencePair::winner).toList());
      NDArray tokens = a.tokenizer().encode(manager, pairs.stream().map(PreferencePair::prompt).toList());
      double gap = 0;
      for (int t : new int[] {100, 500, 900}) {
        int[] ts = new int[pairs.size()];
        Arrays.fill(ts, t);
        NDArray noised = SCHEDULE.addNoise(x0, TrainingBatches.gaussian(manager, new Rng(t), pairs.size(),
            a.imageSize()), ts);
        NDArray times = TrainingBatches.times(manager, ts);
        gap += a.predictNoise(noised, times, tokens, false).sub(b.predictNoise(noised, times, tokens, false))
            .square().mean().getFloat();
      }
      return gap / 3;
    }
  }

  @Test
  void winnerAndLoserShareNoiseTimestepAndTokens() {
    List<PreferencePair> pairs = pairs(3, 1);
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, CONFIG, 7);
        NDManager manager = NDManager.newBaseManager()) {
      int[] t = {10, 500, 990};
      DpoBatch batch = trainer.prepare(manager, pairs, t, new boolean[] {false, true, false});
      NDArray winners = ImageTensors.toModelSpace(manager, pairs.stream().map(PreferencePair::winner).toList());
      NDArray losers = ImageTensors.toModelSpace(manager, pairs.stream().map(PreferencePair::loser).toList());
      NDArray inputs = batch.inputs();
      for (int i = 0; i < 3; i++) {
        double a = Math.sqrt(SCHEDULE.alphaBar(t[i]));
        double s = Math.sqrt(1 - SCHEDULE.alphaBar(t[i]));
        NDArray winnerNoise = inputs.get(i).sub(winners.get(i).mul(a)).div(s);
        NDArray loserNoise = inputs.get(3 + i).sub(losers.get(i).mul(a)).div(s);
        assertTrue(winnerNoise.sub(batch.noise().get(i)).abs().max().getFloat() < 1e-3f);
        assertTrue(loserNoise.sub(batch.noise().get(i)).abs().max().getFloat() < 1e-3f);
        assertEquals(batch.times().getFloat(i), batch.times().getFloat(3 + i));
        assertEquals(t[i], (int) batch.times().getFloat(i));
        assertArrayEquals(batch.tokens().get(i).toLongArray(), batch.tokens().get(3 + i).toLongArray());
        assertArrayEquals(batch.noise().get(i).toFloatArray(), batch.targets().get(3 + i).toFloatArray());
      }
      assertTrue(batch.noise().get(0).sub(batch.noise().get(1)).abs().max().getFloat() > 0.1f,
          "different pairs get different noise");
      assertArrayEquals(new long[6], batch.tokens().get(1).toLongArray(), "dropped caption is null");
    }
  }

  @Test
  void referenceGetsNoGradientAndStaysBitIdentical() throws IOException {
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, CONFIG, 7)) {
      byte[] before = bytes(reference);
      byte[] policyBefore = bytes(policy);
      for (int i = 0; i < 3; i++) {
        DpoStepResult result = trainer.step(pairs(4, i));
        assertEquals(4, result.pairs());
        assertTrue(Double.isFinite(result.loss()) && result.gradNorm() > 0, result.toString());
      }
      for (Pair<String, Parameter> p : reference.parameters()) {
        assertFalse(p.getValue().getArray().hasGradient(), p.getKey() + " has a gradient");
      }
      assertArrayEquals(before, bytes(reference));
      assertFalse(Arrays.equals(policyBefore, bytes(policy)), "policy trained");
      assertEquals(0, trainer.referenceVersion());
    }
  }

  @Test
  void firstStepAgainstAnIdenticalReferenceReadsChance() {
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, CONFIG, 7)) {
      DpoStepResult first = trainer.step(pairs(4, 1));
      assertEquals(Math.log(2), first.loss(), 1e-6);
      assertEquals(0.5, first.implicitAccuracy(), 0);
      assertEquals(0.0, first.rewardMargin(), 0);
    }
  }

  @Test
  void hardUpdateCopiesThePolicyEveryNSteps() {
    DpoConfig config = CONFIG.withReferenceUpdate(ReferenceUpdate.hardCopyEvery(2));
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, config, 7)) {
      float[] initial = first(reference);
      assertFalse(trainer.step(pairs(2, 1)).referenceUpdated());
      assertArrayEquals(initial, first(reference));
      DpoStepResult second = trainer.step(pairs(2, 2));
      assertTrue(second.referenceUpdated());
      assertEquals(1, second.referenceVersion());
      assertArrayEquals(first(policy), first(reference));
      assertFalse(reference.parameters().valueAt(0).getArray().hasGradient());
    }
  }

  @Test
  void softUpdateBlendsPolicyIntoReference() {
    DpoConfig config = CONFIG.withReferenceUpdate(ReferenceUpdate.softUpdateEvery(1, 0.25f));
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, config, 7)) {
      float[] oldReference = first(reference);
      assertTrue(trainer.step(pairs(2, 1)).referenceUpdated());
      float[] newPolicy = first(policy);
      float[] newReference = first(reference);
      boolean moved = false;
      for (int i = 0; i < newReference.length; i++) {
        assertEquals(0.25f * newPolicy[i] + 0.75f * oldReference[i], newReference[i], 1e-6f);
        moved |= newReference[i] != oldReference[i];
      }
      assertTrue(moved);
    }
  }

  @Test
  void replaceReferenceCopiesNow() {
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = UNetDenoiser.create(TestImages.tinyConfig(), 2);
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, CONFIG, 7)) {
      trainer.replaceReference();
      assertArrayEquals(first(policy), first(reference));
      assertEquals(1, trainer.referenceVersion());
    }
  }

  @Test
  void bandLabelsOrientPairsAndUnlabelledPairsContributeNothing() {
    List<PreferencePair> pairs = pairs(3, 1);
    int[] none = new int[10];
    int[] swapAt250 = new int[10];
    swapAt250[2] = -1;
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = UNetDenoiser.create(TestImages.tinyConfig(), 2);
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE,
            CONFIG.withCaptionDropout(0), 7);
        UNetDenoiser policyTwin = policy.copy();
        UNetDenoiser referenceTwin = reference.copy();
        DpoTrainer mirror = new DpoTrainer(policyTwin, referenceTwin, SCHEDULE,
            CONFIG.withCaptionDropout(0), 7)) {
      DpoStepResult skipped = trainer.step(pairs, List.of(new BandLabels(none),
          new BandLabels(none), new BandLabels(none)));
      assertEquals(0, skipped.pairs());
      assertEquals(0, trainer.steps());

      DpoStepResult swapped = trainer.step(List.of(pairs.get(0), pairs.get(1)),
          List.of(new BandLabels(none), new BandLabels(swapAt250)));
      assertEquals(1, swapped.pairs());
      // The same draws on a twin trainer with the pair pre-swapped and its band labelled +1.
      int[] keepAt250 = new int[10];
      keepAt250[2] = 1;
      DpoStepResult direct = mirror.step(List.of(pairs.get(0), pairs.get(1).swapped()),
          List.of(new BandLabels(none), new BandLabels(keepAt250)));
      assertEquals(direct.loss(), swapped.loss(), 1e-6);
      assertTrue(Math.abs(swapped.rewardMargin()) > 0);
    }
  }

  @Test
  void optimizerAndRandomStateRestoreExactly() throws IOException {
    try (UNetDenoiser policy = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser reference = policy.copy();
        DpoTrainer trainer = new DpoTrainer(policy, reference, SCHEDULE, CONFIG, 7)) {
      trainer.step(pairs(2, 1));
      byte[] params = bytes(policy);
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      trainer.saveState(state);
      DpoStepResult original = trainer.step(pairs(2, 2));
      byte[] paramsAfter = bytes(policy);

      try (UNetDenoiser restoredPolicy = UNetDenoiser.create(TestImages.tinyConfig(), 3);
          UNetDenoiser restoredReference = UNetDenoiser.create(TestImages.tinyConfig(), 4);
          DpoTrainer restored = new DpoTrainer(restoredPolicy, restoredReference, SCHEDULE,
              CONFIG, 99)) {
        restoredPolicy.loadParameters(new ByteArrayInputStream(params));
        restoredReference.copyParametersFrom(reference);
        restored.loadState(new ByteArrayInputStream(state.toByteArray()));
        DpoStepResult again = restored.step(pairs(2, 2));
        assertEquals(original.step(), again.step());
        assertEquals(original.loss(), again.loss(), 0);
        assertArrayEquals(paramsAfter, bytes(restoredPolicy));
      }
    }
  }

  private static float[] first(DenoiserModel model) {
    return model.parameters().valueAt(0).getArray().toFloatArray();
  }

  private static byte[] bytes(DenoiserModel model) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    model.saveParameters(out);
    return out.toByteArray();
  }
}
