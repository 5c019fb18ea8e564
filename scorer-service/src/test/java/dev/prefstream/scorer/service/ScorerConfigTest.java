package dev.prefstream.scorer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prefstream.core.config.PrefstreamConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerConfigTest {

  @Test
  void defaults() {
    ScorerConfig c = ScorerConfig.from(PrefstreamConfig.empty());
    assertEquals(ScorerConfig.DEFAULT_SCORERS, c.scorers());
    assertEquals(1, c.threads());
    assertEquals(500, c.maxBatchRecords());
    assertEquals(100_000, c.cacheCapacity());
    assertEquals("prefstream-scorer", c.groupId());
    assertEquals(Duration.ofMillis(500), c.pollTimeout());
    assertEquals(List.of(ScorerConfig.DEFAULT_IMAGE_ROOT.toAbsolutePath().normalize()),
        c.images().roots());
    assertFalse(c.instanceId().isBlank());
  }

  @Test
  void settingsAndTransactionalIds() {
    ScorerConfig c = ScorerConfig.from(PrefstreamConfig.of(Map.of(
        "scorer.scorers", "detail, contrast",
        "scorer.threads", "2",
        "scorer.instance-id", "scorer-3",
        "scorer.transactional-id-prefix", "tx",
        "scorer.consumer.fetch.min.bytes", "1024",
        "images.roots", "/data/images")));
    assertEquals(List.of("detail", "contrast"), c.scorers());
    assertEquals("tx-scorer-3-1", c.transactionalId(1));
    assertEquals(Map.of("fetch.min.bytes", "1024"), c.consumerOverrides());
    assertEquals(List.of(Path.of("/data/images")), c.images().roots());
    assertEquals("1024", ScoringService.consumerSettings(c).get("fetch.min.bytes"));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class,
        () -> ScorerConfig.from(PrefstreamConfig.of(Map.of("scorer.threads", "0"))));
    assertThrows(IllegalArgumentException.class,
        () -> ScorerConfig.from(PrefstreamConfig.of(Map.of("scorer.cache-capacity", "-1"))));
    assertThrows(IllegalArgumentException.class,
        () -> ScorerConfig.from(PrefstreamConfig.of(Map.of("scorer.scorers", " , "))));
  }
}
