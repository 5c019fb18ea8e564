package dev.prefstream.launcher.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentSettingsTest {
  /**
   * settings.json is compared when a run resumes in another JVM, so its text must not depend on a
   * map's per-JVM iteration order: the trainer keys come out sorted whatever order they went in.
   */
  @Test
  void trainerKeysSerialiseInSortedOrder() throws Exception {
    Map<String, String> trainer = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    for (int i = 9; i >= 0; i--) {
      keys.add("trainer.key-" + i);
      trainer.put("trainer.key-" + i, String.valueOf(i));
    }
    ExperimentSettings s = new ExperimentSettings("ci", 40, 3, 2, 1, List.of(1L), 8, 4, List.of(Arm.HUMAN), 0.2, 0, 0, 8, 1,
        trainer);
    List<String> written = new ArrayList<>();
    new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(s)).get("trainer").fieldNames()
        .forEachRemaining(written::add);
    assertEquals(keys.stream().sorted().toList(), written);
  }

  /** Arrival as in the live loop: the first N pairs before step 1, then per-step pairs, capped by the log. */
  @Test
  void pairsArriveAsInTheLiveLoop() {
    ExperimentSettings all = new ExperimentSettings("ci", 40, 3, 2, 1, List.of(1L), 8, 4, List.of(Arm.HUMAN), 0.2, 0, 0,
        8, 1, Map.of());
    assertEquals(100, all.arrived(0, 100));
    assertEquals(100, all.arrived(7, 100));
    ExperimentSettings growing = new ExperimentSettings("ci", 40, 3, 2, 1, List.of(1L), 8, 4, List.of(Arm.HUMAN), 0.2,
        32, 1.75, 8, 1, Map.of());
    assertEquals(32, growing.arrived(0, 100));
    assertEquals(33, growing.arrived(1, 100)); // 32 + floor(1.75)
    assertEquals(49, growing.arrived(10, 100)); // 32 + floor(17.5)
    assertEquals(100, growing.arrived(1000, 100));
  }
}
