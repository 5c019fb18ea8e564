package dev.prefstream.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.sampling.NoiseSchedule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UNetDenoiserTest {

  @Test
  void defaultSizeHasAboutOneToTwoMillionParametersAndCountsItsFlops() {
    try (UNetDenoiser unet = UNetDenoiser.create(UNetConfig.defaults(TestImages.WORDS), 1)) {
      long params = unet.parameterCount();
      assertTrue(params > 1_000_000 && params < 2_000_000, "parameters: " + params);
      double gflop = unet.forwardFlopsPerImage() / 1e9;
      assertTrue(gflop > 0.1 && gflop < 1, "forward GFLOP per image: " + gflop);
    }
  }

  @Test
  void predictsNoiseOfTheInputShapeAndDependsOnThePrompt() {
    try (UNetDenoiser unet = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(2, 3, 8, 8));
      NDArray t = manager.create(new float[] {10f, 500f});
      NDArray red = unet.tokenizer().encode(manager, List.of("a red square", "a red square"));
      NDArray empty = unet.tokenizer().encode(manager, List.of("", ""));
      NDArray withPrompt = unet.predictNoise(x, t, red, false);
      NDArray withoutPrompt = unet.predictNoise(x, t, empty, false);
      assertEquals(new Shape(2, 3, 8, 8), withPrompt.getShape());
      assertTrue(withPrompt.sub(withoutPrompt).abs().max().getFloat() > 0f);
    }
  }

  @Test
  void aVPredictingNetworkReturnsTheNoiseItsOutputStandsFor() {
    // same seed and architecture, so the same weights: the v network's raw output is the eps one's
    UNetConfig eps = TestImages.tinyConfig();
    UNetConfig v = eps.withPrediction(UNetConfig.Prediction.V);
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    try (UNetDenoiser plain = UNetDenoiser.create(eps, 4);
        UNetDenoiser velocity = UNetDenoiser.create(v, 4);
        NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(3, 3, 8, 8));
      int[] steps = {0, 500, 999};
      NDArray t = manager.create(new float[] {0f, 500f, 999f});
      NDArray tokens = plain.tokenizer().encode(manager, List.of("a red square", "", "a blue square"));
      NDArray output = plain.predictNoise(x, t, tokens, false);
      NDArray noise = velocity.predictNoise(x, t, tokens, false);
      for (int i = 0; i < 3; i++) {
        double a = schedule.alphaBar(steps[i]);
        NDArray expected = output.get(i).mul((float) Math.sqrt(a)).add(x.get(i).mul((float) Math.sqrt(1 - a)));
        assertTrue(noise.get(i).sub(expected).abs().max().getFloat() < 1e-5f, "timestep " + steps[i]);
      }
      // at t = 999 abar is 4e-5: the noise is nearly the input, whatever the network draws
      assertTrue(noise.get(2).sub(x.get(2)).abs().max().getFloat() < 0.05f);
      assertEquals(1.0, plain.denoisingLossWeight(0.01));
      assertEquals(100.0, velocity.denoisingLossWeight(0.01), 1e-9);
    }
  }

  @Test
  void theOrderedPromptEncoderTellsWhichColourIsWhichAndABagOfWordsCannot() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(new Shape(2, 3, 8, 8));
      NDArray t = manager.create(new float[] {700f, 700f});
      for (UNetConfig.PromptEncoder encoder : UNetConfig.PromptEncoder.values()) {
        try (UNetDenoiser unet = UNetDenoiser.create(TestImages.tinyConfig().withPromptEncoder(encoder), 2)) {
          NDArray swapped = unet.tokenizer().encode(manager, List.of("a red square on blue", "a blue square on red"));
          NDArray same = x.get("0:1").concat(x.get("0:1"), 0);
          NDArray eps = unet.predictNoise(same, t, swapped, false);
          float difference = eps.get(0).sub(eps.get(1)).abs().max().getFloat();
          // Both rows get the same image: under the same conditioning they could differ only by
          // kernels rounding batch rows differently, at most 2 gamma(K) |eps| per element (K = 64 * 9,
          // the longest inner product, as in ImplicitClassifierTest), about 2e-4; the ordered
          // encoder's swapped colours move eps by 0.4 to 0.8.
          double rounding = 2 * KernelCheck.gamma(64 * 9) * eps.abs().max().getFloat();
          if (encoder == UNetConfig.PromptEncoder.ORDERED) {
            assertTrue(difference > rounding, "ordered: " + difference);
          } else {
            assertTrue(difference <= rounding, "bag of words: " + difference);
          }
          // the null prompt (all padding) conditions differently from a prompt
          NDArray nul = unet.predictNoise(same, t, unet.tokenizer().encode(manager, List.of("", "")), false);
          assertTrue(nul.get(0).sub(eps.get(0)).abs().max().getFloat() > 1e-4f);
        }
      }
    }
  }

  @Test
  void parametersRoundTripThroughBytesAndCopiesAreIndependent() throws IOException {
    try (UNetDenoiser a = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser b = UNetDenoiser.create(TestImages.tinyConfig(), 2)) {
      assertFalse(sameValues(a, b));
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      a.saveParameters(bytes);
      b.loadParameters(new ByteArrayInputStream(bytes.toByteArray()));
      assertTrue(sameValues(a, b));
      try (UNetDenoiser copy = a.copy()) {
        assertTrue(sameValues(a, copy));
        a.parameters().valueAt(0).getArray().addi(1f);
        assertFalse(sameValues(a, copy));
      }
    }
  }

  @Test
  void refusesParametersOfAnotherArchitecture() throws IOException {
    try (UNetDenoiser small = UNetDenoiser.create(TestImages.tinyConfig(), 1);
        UNetDenoiser wide = UNetDenoiser.create(
            new UNetConfig(8, 16, 4, 8, TestImages.WORDS, 6), 1)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      small.saveParameters(bytes);
      assertThrows(IOException.class,
          () -> wide.loadParameters(new ByteArrayInputStream(bytes.toByteArray())));
    }
  }

  static boolean sameValues(DenoiserModel a, DenoiserModel b) {
    for (int i = 0; i < a.parameters().size(); i++) {
      float[] x = a.parameters().valueAt(i).getArray().toFloatArray();
      float[] y = b.parameters().valueAt(i).getArray().toFloatArray();
      if (!Arrays.equals(x, y)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void tokenizerComesFromTheConfig() {
    try (UNetDenoiser unet = UNetDenoiser.create(TestImages.tinyConfig(), 1)) {
      assertArrayEquals(new long[] {2, 3, 5, 0, 0, 0}, unet.tokenizer().encode("a red square"));
    }
  }
}
