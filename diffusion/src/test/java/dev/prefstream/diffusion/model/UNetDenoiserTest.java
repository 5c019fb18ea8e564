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
