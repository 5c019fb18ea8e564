package dev.prefstream.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.core.testing.FixedService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aHeartbeatIsSilentOnlyBetweenItsFirstBeatAndItsStop() {
    Heartbeat h = new Heartbeat(now::get);
    advance(Duration.ofMinutes(5));
    assertEquals(Duration.ZERO, h.silentFor(), "not started: not stalled");
    h.beat();
    advance(Duration.ofSeconds(7));
    assertEquals(Duration.ofSeconds(7), h.silentFor());
    h.beat();
    assertEquals(Duration.ZERO, h.silentFor());
    advance(Duration.ofSeconds(3));
    h.stop();
    advance(Duration.ofMinutes(5));
    assertEquals(Duration.ZERO, h.silentFor(), "ended on purpose: not stalled");
  }

  @Test
  void aSilentLoopIsFirstNotReadyThenNotLive() {
    Health health = new Health(null, Duration.ofSeconds(30), Duration.ofMinutes(2));
    Heartbeat heartbeat = new Heartbeat(now::get);
    FixedService s = new FixedService("looping", heartbeat::silentFor, heartbeat::stop);
    health.register(s);
    heartbeat.beat();
    advance(Duration.ofSeconds(29));
    assertTrue(health.ready());
    assertTrue(health.live());
    advance(Duration.ofSeconds(1));
    assertFalse(health.ready(), "silent for health.unready-after");
    assertTrue(health.live());
    assertEquals("looping DOWN (no progress for 30 s)\n", health.report(true));
    advance(Duration.ofSeconds(90));
    assertFalse(health.live(), "silent for health.stuck-after");
    assertEquals("looping DOWN (stuck: no progress for 120 s)\n", health.report(false));
    heartbeat.beat();
    assertTrue(health.ready());
    assertTrue(health.live());
    assertEquals("looping UP\n", health.report(false));
  }

  @Test
  void noServicesIsNeitherReadyNorLiveAndThresholdsMustBeOrdered() {
    Health health = new Health(null, Duration.ofSeconds(30), Duration.ofMinutes(2));
    assertFalse(health.ready());
    assertFalse(health.live());
    assertThrows(IllegalArgumentException.class, () -> new Health(null, Duration.ofMinutes(2), Duration.ofSeconds(30)));
  }
}
