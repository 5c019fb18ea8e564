package dev.prefstream.trainer.relabel;

import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.image.ImageStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Settings of the Semi-DPO relabeler (METHOD.md section 3), from {@code relabel.*} keys.
 *
 * @param anchors anchor timesteps (default 50, 150, ..., 950)
 * @param percentile |z| percentile an anchor's label must exceed (default 80)
 * @param strictPercentile the percentile where the held-out accuracy is low (default 90)
 * @param accuracyFloor held-out accuracy below which an anchor is strict (default 0.70)
 * @param minHoldout held-out pairs needed to trust the accuracy; with fewer, anchors from
 *     {@code strictFromTimestep} on are strict, as in the published runs (default 20, 650)
 * @param everyVersions run a round on every K-th new version (default 1)
 * @param maxPairs conflicting pairs scored per round, newest first (default 256)
 * @param maxHoldout held-out clean pairs kept for measuring accuracy (default 128)
 * @param batchPairs pairs per forward batch (default 16)
 * @param modelStore {@code models.root}, shared with the trainer; images: {@code images.*}
 */
public record RelabelerConfig(String model, List<Integer> anchors, double percentile, double strictPercentile,
    double accuracyFloor, int minHoldout, int strictFromTimestep, int everyVersions, int maxPairs, int maxHoldout,
    int batchPairs, long seed, Path modelStore, ImageStore.Settings images) {

  public RelabelerConfig {
    anchors = List.copyOf(anchors);
    if (anchors.isEmpty() || everyVersions < 1 || maxPairs < 1 || batchPairs < 1) {
      throw new IllegalArgumentException("relabel: anchors, every-versions, max-pairs and batch-pairs must be positive");
    }
    if (!(percentile > 0 && percentile < 100 && strictPercentile > 0 && strictPercentile < 100)) {
      throw new IllegalArgumentException("relabel: percentiles must be within (0, 100)");
    }
  }

  public static List<Integer> defaultAnchors() {
    return List.of(50, 150, 250, 350, 450, 550, 650, 750, 850, 950);
  }

  public static RelabelerConfig from(PrefstreamConfig c) {
    return new RelabelerConfig(
        c.string("relabel.model", c.string("trainer.model", "unet")),
        c.list("relabel.anchors", defaultAnchors().stream().map(String::valueOf).toList()).stream()
            .map(Integer::parseInt).toList(),
        c.number("relabel.percentile", 80),
        c.number("relabel.strict-percentile", 90),
        c.number("relabel.accuracy-floor", 0.70),
        c.integer("relabel.min-holdout", 20),
        c.integer("relabel.strict-from-timestep", 650),
        c.integer("relabel.every-versions", 1),
        c.integer("relabel.max-pairs", 256),
        c.integer("relabel.max-holdout", 128),
        c.integer("relabel.batch-pairs", 16),
        c.longValue("relabel.seed", 7L),
        c.path("models.root", Path.of("data", "models")),
        ImageStore.Settings.from(c, Path.of("data")));
  }

  public int[] anchorArray() {
    return anchors.stream().mapToInt(Integer::intValue).toArray();
  }
}
