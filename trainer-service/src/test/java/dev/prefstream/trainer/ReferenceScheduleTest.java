package dev.prefstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.diffusion.train.ReferenceUpdate;
import dev.prefstream.trainer.ReferenceSchedule.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceScheduleTest {

  @Test
  void parsesEveryForm() {
    assertEquals(ReferenceSchedule.none(), ReferenceSchedule.parse("none"));
    assertEquals(new ReferenceSchedule(Kind.HARD, 100, 1f), ReferenceSchedule.parse("hard:100"));
    assertEquals(new ReferenceSchedule(Kind.SOFT, 512, 0.6f), ReferenceSchedule.parse(" Soft:0.6:512 "));
    assertEquals(new ReferenceSchedule(Kind.PER_VERSION, 2, 1f), ReferenceSchedule.parse("per-version:2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "hard:100", "soft:0.6:512", "per-version:3"})
  void printsBackItsConfigSpelling(String spec) {
    assertEquals(spec, ReferenceSchedule.parse(spec).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "always", "hard", "hard:0", "hard:x", "soft:0.6", "soft:1.5:10", "soft:0:10",
      "per-version:0", "none:1", "hard:10:2"})
  void refusesMalformedSchedules(String spec) {
    assertThrows(IllegalArgumentException.class, () -> ReferenceSchedule.parse(spec));
  }

  @Test
  void mapsToTheStepUpdateOfTheDpoTrainer() {
    assertEquals(ReferenceUpdate.hardCopyEvery(100), ReferenceSchedule.parse("hard:100").stepUpdate());
    assertEquals(ReferenceUpdate.softUpdateEvery(512, 0.6f), ReferenceSchedule.parse("soft:0.6:512").stepUpdate());
    assertEquals(ReferenceUpdate.none(), ReferenceSchedule.parse("none").stepUpdate());
    assertEquals(ReferenceUpdate.none(), ReferenceSchedule.parse("per-version:1").stepUpdate(),
        "per-version replacement is not step-driven");
  }

  @Test
  void perVersionReplacesAfterEveryKthVersion() {
    ReferenceSchedule every2 = ReferenceSchedule.parse("per-version:2");
    assertFalse(every2.replaceAfterVersion(0), "the base version is the reference already");
    assertFalse(every2.replaceAfterVersion(1));
    assertTrue(every2.replaceAfterVersion(2));
    assertFalse(every2.replaceAfterVersion(3));
    assertTrue(every2.replaceAfterVersion(4));
    assertFalse(ReferenceSchedule.parse("hard:1").replaceAfterVersion(2));
  }
}
