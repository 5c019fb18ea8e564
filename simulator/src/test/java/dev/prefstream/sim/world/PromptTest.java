package dev.prefstream.sim.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptTest {

  @Test
  void textFollowsTheGrammar() {
    Prompt p = new Prompt(ObjectSize.SMALL, PaletteColor.RED, Shape.CIRCLE, Position.TOP_LEFT, PaletteColor.BLUE);
    assertEquals("a small red circle at the top left on a blue background", p.text());
  }

  @Test
  void everyPromptRoundTripsThroughItsText() {
    for (Prompt p : Prompt.all()) {
      assertEquals(p, Prompt.parse(p.text()));
    }
  }

  @Test
  void parsingIgnoresCaseAndExtraWhitespace() {
    assertEquals(
        new Prompt(ObjectSize.LARGE, PaletteColor.YELLOW, Shape.TRIANGLE, Position.BOTTOM_RIGHT, PaletteColor.BLACK),
        Prompt.parse("  A LARGE Yellow triangle  at the bottom   right on a black background\n"));
  }

  @Test
  void rejectsTextOutsideTheGrammar() {
    assertThrows(IllegalArgumentException.class, () -> Prompt.parse("a red circle"));
    assertThrows(IllegalArgumentException.class,
        () -> Prompt.parse("a small teal circle at the center on a blue background"));
    assertThrows(IllegalArgumentException.class,
        () -> Prompt.parse("a small red circle at the middle on a blue background"));
    assertThrows(IllegalArgumentException.class,
        () -> Prompt.parse("a small red circle at the center on a red background"));
  }

  @Test
  void enumeratesEveryCombinationOnceWithDistinctColours() {
    int colours = PaletteColor.values().length;
    int expected = ObjectSize.values().length * colours * Shape.values().length * Position.values().length
        * (colours - 1);
    List<Prompt> all = Prompt.all();
    assertEquals(expected, all.size());
    assertEquals(expected, new HashSet<>(all).size());
    assertTrue(all.stream().noneMatch(p -> p.color() == p.background()));
  }

  @Test
  void vocabularyCoversEveryPromptWordAndNothingElse() {
    Set<String> used = new HashSet<>();
    for (Prompt p : Prompt.all()) {
      used.addAll(List.of(p.text().split(" ")));
    }
    List<String> vocabulary = Prompt.vocabulary();
    assertEquals(used, Set.copyOf(vocabulary));
    assertEquals(vocabulary.stream().sorted().distinct().toList(), vocabulary);
  }

  @Test
  void paletteColoursAreFarEnoughApartToTellFromPixels() {
    for (PaletteColor a : PaletteColor.values()) {
      for (PaletteColor b : PaletteColor.values()) {
        if (a != b) {
          assertTrue(a.distanceTo(b.rgb()) >= 0.4, a + " vs " + b);
        }
      }
    }
  }

  @Test
  void standardSplitHoldsOutAboutATenthDisjointFromTraining() {
    PromptSplit split = PromptSplit.standard();
    List<Prompt> training = split.training();
    List<Prompt> heldOut = split.heldOut();
    assertEquals(Prompt.all().size(), training.size() + heldOut.size());
    Set<Prompt> overlap = new HashSet<>(training);
    overlap.retainAll(heldOut);
    assertTrue(overlap.isEmpty());
    double fraction = heldOut.size() / (double) Prompt.all().size();
    assertTrue(fraction > 0.05 && fraction < 0.15, "held-out fraction " + fraction);
  }

  @Test
  void heldOutCombinationsAreSpreadOverColoursAndShapes() {
    Set<PromptSplit.ColorShape> combos = PromptSplit.holdOut(0.25, 3).heldOutCombinations();
    assertEquals(10, combos.size());
    for (PaletteColor c : PaletteColor.values()) {
      assertTrue(combos.stream().filter(cs -> cs.color() == c).count() <= 2, c.word());
    }
    for (Shape s : Shape.values()) {
      assertEquals(2, combos.stream().filter(cs -> cs.shape() == s).count(), s.word());
    }
  }

  @Test
  void trainingStillSeesEveryColourAndShape() {
    List<Prompt> training = PromptSplit.standard().training();
    for (PaletteColor c : PaletteColor.values()) {
      assertTrue(training.stream().anyMatch(p -> p.color() == c), c.word());
    }
    for (Shape s : Shape.values()) {
      assertTrue(training.stream().anyMatch(p -> p.shape() == s), s.word());
    }
  }

  @Test
  void splitIsStableAndDependsOnTheSalt() {
    assertEquals(PromptSplit.standard(), PromptSplit.standard());
    assertEquals(PromptSplit.holdOut(0.1, 7).heldOut(), PromptSplit.holdOut(0.1, 7).heldOut());
    assertNotEquals(PromptSplit.holdOut(0.1, 0).heldOutCombinations(),
        PromptSplit.holdOut(0.1, 1).heldOutCombinations());
    assertFalse(PromptSplit.holdOut(0.0, 0).heldOut().iterator().hasNext());
  }

  @Test
  void standardSplitIsPinned() {
    // Evaluation results are only comparable across versions if the held-out set never moves.
    assertEquals(Set.of(
            new PromptSplit.ColorShape(PaletteColor.WHITE, Shape.DIAMOND),
            new PromptSplit.ColorShape(PaletteColor.PURPLE, Shape.CIRCLE),
            new PromptSplit.ColorShape(PaletteColor.BLACK, Shape.CROSS),
            new PromptSplit.ColorShape(PaletteColor.GREEN, Shape.SQUARE)),
        PromptSplit.standard().heldOutCombinations());
  }
}
