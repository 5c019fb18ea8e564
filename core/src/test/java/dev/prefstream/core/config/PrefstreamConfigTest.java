package dev.prefstream.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefstreamConfigTest {
  @TempDir
  Path dir;

  @Test
  void layersInTheDocumentedOrder() throws Exception {
    Path file = dir.resolve("p.properties");
    Files.writeString(file, "labeler.policy=majority\nlabeler.quorum=2\nscorer.batch=8\n");
    PrefstreamConfig c = PrefstreamConfig.load(
        Map.of("labeler.policy", "unanimous", "labeler.quorum", "1", "scorer.batch", "4", "trainer.lr", "1e-4"),
        file,
        Map.of("PREFSTREAM_LABELER_QUORUM", "3", "KAFKA_BOOTSTRAP_SERVERS", "h:1", "HOME", "/root"),
        Map.of("scorer.batch", "16"));
    assertEquals("majority", c.string("labeler.policy", null), "file over defaults");
    assertEquals(3, c.integer("labeler.quorum", 0), "environment over file");
    assertEquals(16, c.integer("scorer.batch", 0), "flags over everything");
    assertEquals(1e-4, c.number("trainer.lr", 0), 0);
    assertEquals("h:1", c.section("kafka.").get("bootstrap.servers"));
    assertFalse(c.has("home"), "unrelated environment is ignored");
  }

  @Test
  void environmentNamesMapToKeys() {
    Map<String, String> m = PrefstreamConfig.fromEnvironment(Map.of(
        "KAFKA_SASL_JAAS_CONFIG", "x", "PREFSTREAM_METRICS_PORT", "9", "PREFSTREAM_MODEL__STORE", "s"));
    assertEquals("x", m.get("kafka.sasl.jaas.config"));
    assertEquals("9", m.get("metrics.port"));
    assertEquals("s", m.get("model-store"), "a double underscore is a dash");
  }

  @Test
  void secretsAreMaskedWhenPrinted() {
    PrefstreamConfig c = PrefstreamConfig.of(Map.of("kafka.sasl.jaas.config", "user=me password=hunter2",
        "kafka.ssl.keystore.password", "s3cret", "labeler.policy", "majority"));
    assertFalse(c.toString().contains("hunter2"));
    assertFalse(c.describe().contains("s3cret"));
    assertTrue(c.describe().contains("labeler.policy=majority"));
  }

  @Test
  void parsesTypesAndNamesTheBadSetting() {
    PrefstreamConfig c = PrefstreamConfig.of(Map.of("a", "500ms", "b", "PT2S", "c", "1.5m", "n", "x", "l", "a, b,,c"));
    assertEquals(Duration.ofMillis(500), c.duration("a", null));
    assertEquals(Duration.ofSeconds(2), c.duration("b", null));
    assertEquals(Duration.ofSeconds(90), c.duration("c", null));
    assertEquals(List.of("a", "b", "c"), c.list("l", List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.integer("n", 0));
    assertTrue(e.getMessage().contains("'n'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.required("missing"));
  }
}
