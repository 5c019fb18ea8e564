package dev.prefstream.core.testing;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.schemas.PairIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Small vote fixtures for tests of any module. */
public final class Votes {
  private Votes() {}

  /** A vote on a synthetic pair {@code pair} by user {@code user}. */
  public static PreferenceVote vote(int pair, String user, Choice choice) {
    String a = PairIds.sha256Hex(("a" + pair).getBytes(StandardCharsets.UTF_8));
    String b = PairIds.sha256Hex(("b" + pair).getBytes(StandardCharsets.UTF_8));
    String prompt = "a red apple number " + pair;
    return PreferenceVote.newBuilder()
        .setVoteId("v-" + pair + "-" + user)
        .setPairId(PairIds.pairId(prompt, a, b))
        .setPrompt(prompt)
        .setImageA(ImageRef.newBuilder().setUri("file:images/" + a + ".png").setSha256(a).build())
        .setImageB(ImageRef.newBuilder().setUri("file:images/" + b + ".png").setSha256(b).build())
        .setChoice(choice)
        .setUserId(user)
        .setTimestamp(Instant.ofEpochMilli(1_795_000_000_000L + pair))
        .setSource("test")
        .setAttributes(Map.of())
        .build();
  }
}
