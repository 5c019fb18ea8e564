package dev.prefstream.scorer.torchscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.scorer.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImagePreprocessorTest {
  private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
  private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

  @ParameterizedTest
  @EnumSource(ResizeFilter.class)
  void matchesTorchAntialiasedInterpolateResizeAndCrop(ResizeFilter filter) {
    ImagePreprocessor pre = new ImagePreprocessor(16, filter, MEAN, STD);
    String mode = filter.name().toLowerCase();
    for (int k = 0; k < TorchScriptFixtures.IMAGES.length; k++) {
      float[] out = pre.apply(TorchScriptFixtures.image(k));
      assertEquals(3 * 16 * 16, out.length);
      double expected = TorchScriptFixtures.expectedDouble("image." + k + "." + mode + ".checksum");
      // float32 rounding moves the checksum by ~1e-3; a wrong filter moves it by > 1, a crop
      // off by one pixel by hundreds
      assertEquals(expected, TorchScriptFixtures.checksum(out), 1e-2, "image " + k + " " + mode);
    }
  }

  @ParameterizedTest
  @EnumSource(ResizeFilter.class)
  void resamplingKeepsAConstantImageConstant(ResizeFilter filter) {
    ImagePreprocessor pre = new ImagePreprocessor(7, filter, new float[3], new float[] {1, 1, 1});
    float[] out = pre.apply(TestImages.solid(50, 23, 0.2f, 0.5f, 0.9f));
    for (int i = 0; i < out.length; i++) {
      float expected = i < 49 ? 0.2f : i < 98 ? 0.5f : 0.9f;
      assertEquals(expected, out[i], 1e-5, "value " + i);
    }
  }

  @Test
  void normalisesPerChannel() {
    ImagePreprocessor pre = new ImagePreprocessor(2, ResizeFilter.BILINEAR,
        new float[] {0.5f, 0f, 1f}, new float[] {0.5f, 2f, 1f});
    float[] out = pre.apply(TestImages.solid(2, 2, 1f, 1f, 1f));
    assertEquals(1f, out[0]);
    assertEquals(0.5f, out[4]);
    assertEquals(0f, out[8]);
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class,
        () -> new ImagePreprocessor(0, ResizeFilter.BICUBIC, MEAN, STD));
    assertThrows(IllegalArgumentException.class,
        () -> new ImagePreprocessor(8, ResizeFilter.BICUBIC, MEAN, new float[] {1, 0, 1}));
    assertThrows(IllegalArgumentException.class, () -> ResizeFilter.parse("nearest"));
    RgbImage img = TestImages.solid(3, 3, 0, 0, 0);
    assertEquals(3 * 4 * 4, new ImagePreprocessor(4, ResizeFilter.parse(" Bicubic "), MEAN, STD)
        .apply(img).length);
  }
}
