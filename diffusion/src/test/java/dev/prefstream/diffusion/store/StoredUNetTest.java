package dev.prefstream.diffusion.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prefstream.core.model.Manifest;
import dev.prefstream.diffusion.TestImages;
import dev.prefstream.diffusion.model.UNetConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredUNetTest {

  private static Manifest manifest(Map<String, String> config) {
    return new Manifest("unet", Manifest.VERSION, 0, null, 0, 0, 5000, "half", config, Map.of(), Map.of(),
        Map.of(), 0);
  }

  @Test
  void theArchitectureRoundTripsThroughTheManifestPredictionIncluded() {
    for (UNetConfig.Prediction p : UNetConfig.Prediction.values()) {
      for (UNetConfig.PromptEncoder e : UNetConfig.PromptEncoder.values()) {
        UNetConfig config = TestImages.tinyConfig().withPrediction(p).withPromptEncoder(e);
        assertEquals(config, StoredUNet.config(manifest(StoredUNet.configEntries(config))));
      }
    }
  }

  @Test
  void aManifestFromBeforeVPredictionReadsAsTheFirstArchitecture() {
    Map<String, String> old = new HashMap<>(StoredUNet.configEntries(TestImages.tinyConfig()
        .withPrediction(UNetConfig.Prediction.V).withPromptEncoder(UNetConfig.PromptEncoder.ORDERED)));
    old.remove("unet.prediction");
    old.remove("unet.prompt-encoder");
    assertEquals(UNetConfig.Prediction.EPS, StoredUNet.config(manifest(old)).prediction());
    assertEquals(UNetConfig.PromptEncoder.BAG_OF_WORDS, StoredUNet.config(manifest(old)).promptEncoder());
    old.put("unet.prediction", "x0");
    assertThrows(IllegalArgumentException.class, () -> StoredUNet.config(manifest(old)));
  }
}
