package dev.prefstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.PreferenceVote;
import org.junit.jupiter.api.Test;

class PairIdsTest {
  @Test
  void pairIdIgnoresImageOrderButNotPrompt() {
    String id = PairIds.pairId("p", SchemaFixtures.SHA_A, SchemaFixtures.SHA_B);
    assertEquals(32, id.length());
    assertEquals(id, PairIds.pairId("p", SchemaFixtures.SHA_B, SchemaFixtures.SHA_A));
    assertNotEquals(id, PairIds.pairId("q", SchemaFixtures.SHA_A, SchemaFixtures.SHA_B));
  }

  @Test
  void canonicalSwapsImagesAndMirrorsChoice() {
    PreferenceVote v = SchemaFixtures.vote("v", Choice.A);
    assertSame(v, PairIds.canonical(v));
    PreferenceVote swapped = PreferenceVote.newBuilder(v).setImageA(v.getImageB()).setImageB(v.getImageA())
        .setChoice(Choice.B).build();
    PreferenceVote c = PairIds.canonical(swapped);
    assertEquals(v.getImageA(), c.getImageA());
    assertEquals(Choice.A, c.getChoice(), "B on the swapped pair is A on the canonical one");
    assertEquals(Choice.TIE, PairIds.mirror(Choice.TIE));
  }
}
