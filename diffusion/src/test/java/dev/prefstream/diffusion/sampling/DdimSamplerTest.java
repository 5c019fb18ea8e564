package dev.prefstream.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.model.UNetDenoiser;
import java.util.List;
import org.junit.jupiter.api.Test;

class DdimSamplerTest {
  private final DdimSampler sampler = new DdimSampler(NoiseSchedule.ddpm(), 10);

  @Test
  void anImageDependsOnItsSeedAndPromptNotOnItsBatch() {
    try (UNetDenoiser model = UNetDenoiser.create(TestImages.tinyConfig(), 1)) {
      List<RgbImage> batch = sampler.sample(model, List.of("a red square", "a blue square", "a red square"),
          new long[] {7, 8, 9}, 3f);
      List<RgbImage> alone = sampler.sample(model, List.of("a blue square"), new long[] {8}, 3f);
      assertEquals(3, batch.size());
      assertEquals(8, batch.get(0).width());
      float[] a = batch.get(1).chw();
      float[] b = alone.get(0).chw();
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-5f);
      }
      assertNotEquals(batch.get(0), batch.get(2), "different seeds give different images");
    }
  }

  @Test
  void guidanceChangesTheResult() {
    try (UNetDenoiser model = UNetDenoiser.create(TestImages.tinyConfig(), 1)) {
      RgbImage plain = sampler.sample(model, "a red square", 1, 5, 1f).get(0);
      RgbImage guided = sampler.sample(model, "a red square", 1, 5, 4f).get(0);
      assertNotEquals(plain, guided);
    }
  }

  @Test
  void scheduleMatchesTheLinearDdpmDefinition() {
    NoiseSchedule schedule = NoiseSchedule.ddpm();
    assertEquals(1000, schedule.steps());
    assertEquals(1 - 1e-4, schedule.alphaBar(0), 1e-12);
    assertEquals((1 - 1e-4) * (1 - (1e-4 + (0.02 - 1e-4) / 999)), schedule.alphaBar(1), 1e-12);
    assertEquals(4.04e-5, schedule.alphaBar(999), 1e-6);
  }
}
