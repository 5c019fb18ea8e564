package dev.prefstream.scorer.bench;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.image.ImageStore;
import dev.prefstream.core.image.RgbImage;
import dev.prefstream.schemas.PairIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated votes on generated images for benchmarks and tests: every image is a distinct random
 * picture (a coloured rectangle on a coloured background with pixel noise), stored as PNG in an
 * {@link ImageStore}, so no two images share a digest and a score cache gains nothing.
 */
public final class SyntheticVotes {
  private static final String[] COLORS = {"red", "green", "blue", "yellow", "purple", "orange"};
  private static final String[] SHAPES = {"square", "circle", "triangle"};

  private SyntheticVotes() {}

  /** A random {@code size}x{@code size} image. */
  public static RgbImage image(Random random, int size) {
    RgbImage img = RgbImage.blank(size, size);
    float[] bg = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
    float[] fg = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
    int x0 = random.nextInt(size / 2);
    int y0 = random.nextInt(size / 2);
    int x1 = x0 + 1 + random.nextInt(size - x0 - 1);
    int y1 = y0 + 1 + random.nextInt(size - y0 - 1);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean inside = x >= x0 && x < x1 && y >= y0 && y < y1;
        for (int c = 0; c < 3; c++) {
          float v = (inside ? fg[c] : bg[c]) + 0.1f * (random.nextFloat() - 0.5f);
          img.set(c, y, x, Math.max(0f, Math.min(1f, v)));
        }
      }
    }
    return img;
  }

  /** A vote by {@code user} on (prompt, a, b). */
  public static PreferenceVote vote(String voteId, String prompt, ImageRef a, ImageRef b,
      Choice choice, String user) {
    return PreferenceVote.newBuilder()
        .setVoteId(voteId)
        .setPairId(PairIds.pairId(prompt, a.getSha256(), b.getSha256()))
        .setPrompt(prompt)
        .setImageA(a)
        .setImageB(b)
        .setChoice(choice)
        .setUserId(user)
        .setTimestamp(Instant.ofEpochMilli(1_795_000_000_000L))
        .setSource("bench")
        .setAttributes(Map.of())
        .build();
  }

  /** A prompt of the built-in world's grammar. */
  public static String prompt(Random random) {
    return "a " + (random.nextBoolean() ? "small" : "large") + " "
        + COLORS[random.nextInt(COLORS.length)] + " " + SHAPES[random.nextInt(SHAPES.length)]
        + " on a " + COLORS[random.nextInt(COLORS.length)] + " background";
  }

  /** {@code pairs} votes, each on two new distinct images written to {@code store}. */
  public static List<PreferenceVote> distinctPairs(ImageStore store, int pairs, int size, long seed) {
    Random random = new Random(seed);
    List<PreferenceVote> votes = new ArrayList<>(pairs);
    for (int i = 0; i < pairs; i++) {
      ImageRef a = store.put(image(random, size));
      ImageRef b = store.put(image(random, size));
      Choice choice = Choice.values()[random.nextInt(2)];
      votes.add(vote("bench-" + seed + "-" + i, prompt(random), a, b, choice, "u" + (i % 97)));
    }
    return votes;
  }
}
