package dev.prefstream.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.model.ModelIntegrityException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScorerRegistryTest {

  private static Path fixture(String file) throws URISyntaxException {
    return Path.of(ScorerRegistryTest.class.getResource("/torchscript/" + file).toURI());
  }

  @Test
  void buildsBuiltinsAndTorchScriptScorersInSpecOrder() throws Exception {
    List<String> specs = List.of("detail", "colorfulness", "contrast", "color-match",
        "torchscript-embedding:tiny-clip:" + fixture("embedding.properties"),
        "torchscript-head:tiny-aesthetic:" + fixture("aesthetic.properties"));
    try (ScorerRegistry registry = ScorerRegistry.fromSpecs(specs)) {
      List<Scorer> first = registry.newScorers();
      List<Scorer> second = registry.newScorers();
      assertEquals(List.of("detail", "colorfulness", "contrast", "color-match", "tiny-clip",
          "tiny-aesthetic"), first.stream().map(Scorer::name).toList());
      for (int i = 0; i < first.size(); i++) {
        assertNotSame(first.get(i), second.get(i), "each thread gets its own instance");
        assertEquals(registry.factories().get(i).version(), first.get(i).version());
        double[] s = first.get(i).score(List.of(
            new ScoringItem(TestImages.texture(32, 32, 5), "a red circle on a blue background")));
        assertTrue(Double.isFinite(s[0]), first.get(i).name());
      }
      first.forEach(Scorer::close);
      second.forEach(Scorer::close);
    }
  }

  @Test
  void rejectsBadSpecs() {
    assertThrows(IllegalArgumentException.class, () -> ScorerRegistry.fromSpecs(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> ScorerRegistry.fromSpecs(List.of("sharpness")));
    assertThrows(IllegalArgumentException.class,
        () -> ScorerRegistry.fromSpecs(List.of("detail", "detail")));
    assertThrows(IllegalArgumentException.class,
        () -> ScorerRegistry.fromSpecs(List.of("detail:mine")));
    assertThrows(IllegalArgumentException.class,
        () -> ScorerRegistry.fromSpecs(List.of("torchscript-embedding:clip")));
    assertThrows(IllegalArgumentException.class,
        () -> ScorerRegistry.fromSpecs(List.of("torchscript-head:Bad Name:/x")));
  }

  @Test
  void refusesATamperedModelDirectory(@TempDir Path tmp) throws Exception {
    Path dir = fixture("aesthetic.properties").getParent();
    for (String f : List.of("image_encoder.pt", "aesthetic_head.pt")) {
      Files.copy(dir.resolve(f), tmp.resolve(f));
    }
    Files.copy(dir.resolve("aesthetic.properties"), tmp.resolve("scorer.properties"));
    Files.write(tmp.resolve("aesthetic_head.pt"), new byte[] {1}, StandardOpenOption.APPEND);
    assertThrows(ModelIntegrityException.class,
        () -> ScorerRegistry.fromSpecs(List.of("detail", "torchscript-head:aes:" + tmp)));
  }

  @Test
  void specParsing() {
    assertEquals(new ScorerSpec("detail", "detail", ""), ScorerSpec.parse(" detail "));
    ScorerSpec ts = ScorerSpec.parse("torchscript-embedding:pickscore:/m/pick:v1/scorer.properties");
    assertEquals("pickscore", ts.name());
    assertEquals("/m/pick:v1/scorer.properties", ts.argument());
    assertEquals("torchscript-embedding:pickscore:/m/pick:v1/scorer.properties", ts.toString());
  }
}
