package dev.prefstream.sim.pretrain;

import dev.prefstream.diffusion.store.StoredUNet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.model.Manifest;
import dev.prefstream.core.model.ModelStore;
import dev.prefstream.diffusion.model.UNetDenoiser;
import dev.prefstream.schemas.PairIds;
import dev.prefstream.sim.world.Prompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {

  @Test
  void pretrainingLowersTheDenoisingLossAndPublishesAVerifiedVersionZero(@TempDir Path dir) throws Exception {
    ModelStore store = new ModelStore(dir);
    PretrainResult result = TinyModels.publishBase(store, 60);

    assertEquals(60, result.steps());
    assertTrue(result.probeLossAfter() < 0.7 * result.probeLossBefore(),
        "probe loss " + result.probeLossBefore() + " -> " + result.probeLossAfter());
    assertTrue(result.finalLoss() < result.firstLoss(), result.firstLoss() + " -> " + result.finalLoss());

    ModelStore.Stored v0 = store.version("unet", 0);
    Manifest m = v0.manifest();
    assertEquals(0, m.version());
    assertNull(m.parent());
    assertEquals("half", m.betaConvention());
    assertEquals(String.join(",", Prompt.vocabulary()), m.config().get("unet.vocabulary"));
    assertEquals("16", m.config().get("unet.image-size"));
    assertEquals(result.finalLoss(), m.metrics().get("final_loss"), 1e-12);
    String digest = PairIds.sha256Hex(Files.readAllBytes(v0.file(StoredUNet.PARAMETERS)));
    assertEquals(m.files().get(StoredUNet.PARAMETERS), digest);
    try (UNetDenoiser loaded = StoredUNet.load(v0)) {
      assertEquals(TinyModels.unet(), loaded.config());
    }
  }

  /**
   * A continued run starts from the shipped weights: its probe loss before the first step is the one the
   * shipped manifest recorded after pretraining (same probe batch, same weights; 1e-3 relative covers
   * float32 kernels of other CPUs), and the manifest says where it started.
   */
  @Test
  void aContinuedRunStartsFromTheShippedWeights(@TempDir Path dir) throws Exception {
    PretrainConfig config = PretrainConfig.from(PrefstreamConfig.of(Map.of("pretrain.init", "shipped",
        "pretrain.steps", "1", "pretrain.batch-size", "2")));
    PretrainResult result = new Pretrainer(config, false).run(new ModelStore(dir));
    JsonNode shipped;
    try (var in = BaseModel.class.getResourceAsStream(BaseModel.RESOURCE_DIR + "manifest.json")) {
      shipped = new ObjectMapper().readTree(in);
    }
    double probe = shipped.get("metrics").get("probe_loss_after").asDouble();
    assertEquals(probe, result.probeLossBefore(), 1e-3 * probe);
    Map<String, String> recorded = result.published().manifest().config();
    assertEquals("shipped", recorded.get("pretrain.init"));
    assertEquals(shipped.get("files").get(StoredUNet.PARAMETERS).asText(), recorded.get("pretrain.init-sha256"));
    assertEquals("none", PretrainConfig.defaults().describe().get("pretrain.init"));
  }

  @Test
  void theSameSeedGivesTheSameParameters(@TempDir Path dir) {
    String a = TinyModels.publishBase(new ModelStore(dir.resolve("a")), 5).published().manifest().files()
        .get(StoredUNet.PARAMETERS);
    String b = TinyModels.publishBase(new ModelStore(dir.resolve("b")), 5).published().manifest().files()
        .get(StoredUNet.PARAMETERS);
    assertEquals(a, b);
  }

  @Test
  void theDefectMixDrawsEachDefectAtRoughlyItsShare() {
    DefectiveRenders renders = new DefectiveRenders(Prompt.all(), DefectMix.standard(),
        new dev.prefstream.sim.world.Renderer(8, 8), 3);
    renders.next(4000);
    var counts = renders.counts();
    assertEquals(0.25, counts.get(DefectMix.Kind.WRONG_COLOR) / 4000.0, 0.03);
    assertEquals(0.10, counts.get(DefectMix.Kind.WRONG_BACKGROUND) / 4000.0, 0.02);
    assertEquals(0.10, counts.get(DefectMix.Kind.IDEAL) / 4000.0, 0.02);
  }
}
