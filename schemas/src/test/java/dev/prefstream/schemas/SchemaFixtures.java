package dev.prefstream.schemas;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import java.time.Instant;
import java.util.Map;

final class SchemaFixtures {
  static final String SHA_A = "a".repeat(64);
  static final String SHA_B = "b".repeat(64);

  private SchemaFixtures() {}

  static PreferenceVote vote(String voteId, Choice choice) {
    return PreferenceVote.newBuilder()
        .setVoteId(voteId)
        .setPairId(PairIds.pairId("a red apple", SHA_A, SHA_B))
        .setPrompt("a red apple")
        .setImageA(ImageRef.newBuilder().setUri("file:images/a.png").setSha256(SHA_A).build())
        .setImageB(ImageRef.newBuilder().setUri("file:images/b.png").setSha256(SHA_B).build())
        .setChoice(choice)
        .setUserId("u-1")
        .setTimestamp(Instant.ofEpochMilli(1_795_000_000_000L))
        .setSource("test")
        .setAttributes(Map.of("k", "v"))
        .build();
  }
}
