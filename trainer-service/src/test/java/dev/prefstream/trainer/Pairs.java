package dev.prefstream.trainer;

import dev.prefstream.avro.AnchorLabel;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.LabelSource;
import dev.prefstream.avro.LabeledPair;
import dev.prefstream.avro.Route;
import dev.prefstream.avro.Side;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.diffusion.train.PreferencePair;
import dev.prefstream.schemas.PairIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Test fixtures: red and blue squares on gray, labelled pairs and training pairs. */
final class Pairs {
  static final List<String> WORDS = List.of("a", "red", "blue", "square", "on", "gray");
  static final String PROMPT = "a square on gray";

  private Pairs() {}

  /** A red (or blue) square at a random place on a gray background, with slight texture noise. */
  static RgbImage square(int size, boolean red, Random random) {
    RgbImage image = RgbImage.blank(size, size);
    int side = size / 2 + random.nextInt(size / 4 + 1);
    int x0 = random.nextInt(size - side + 1);
    int y0 = random.nextInt(size - side + 1);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean inside = x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
        for (int c = 0; c < 3; c++) {
          float v = inside ? ((red && c == 0) || (!red && c == 2) ? 0.9f : 0.1f) : 0.5f;
          image.set(c, y, x, Math.max(0f, Math.min(1f, v + 0.03f * (float) random.nextGaussian())));
        }
      }
    }
    return image;
  }

  /** A training pair with a given id (images random squares, red wins). */
  static TrainingPair training(String id, int size, Random random) {
    return new TrainingPair(id, new PreferencePair(square(size, true, random), square(size, false, random), PROMPT), null);
  }

  /** A HUMAN clean pair whose human and majority labels are given; the images are stored in {@code images}. */
  static LabeledPair labeled(ImageStore images, RgbImage a, RgbImage b, Side human, Side majority, boolean holdout) {
    return labeled(images.put(a), images.put(b), human, majority, holdout);
  }

  static LabeledPair labeled(ImageRef a, ImageRef b, Side human, Side majority, boolean holdout) {
    return LabeledPair.newBuilder()
        .setPairId(PairIds.pairId(PROMPT, a.getSha256(), b.getSha256()))
        .setPrompt(PROMPT)
        .setImageA(a)
        .setImageB(b)
        .setWinner(human)
        .setHumanLabel(human)
        .setMajorityLabel(majority)
        .setSource(LabelSource.HUMAN)
        .setRoute(Route.CLEAN)
        .setHoldout(holdout)
        .setAgreement(1.0)
        .setAnchors(List.of())
        .setModelVersion(null)
        .setLabeledAt(Instant.ofEpochMilli(1_795_000_000_000L))
        .setAttributes(Map.of())
        .build();
  }

  static AnchorLabel anchor(int timestep, int sign) {
    return AnchorLabel.newBuilder().setTimestep(timestep).setZ(sign * 2.0).setThreshold(1.0).setSign(sign).build();
  }
}
