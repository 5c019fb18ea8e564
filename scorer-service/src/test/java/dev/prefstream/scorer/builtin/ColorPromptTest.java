package dev.prefstream.scorer.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColorPromptTest {

  @Test
  void simulatorPromptSeparatesObjectAndBackground() {
    ColorPrompt p = ColorPrompt.parse("a small red circle at the top left on a blue background");
    assertEquals(Optional.of(Set.of(ColorName.BLUE)), p.background());
    assertEquals(List.of(Set.of(ColorName.RED)), p.objects());
    assertEquals(2, p.colourCount());
  }

  @Test
  void backgroundMayHaveOneModifier() {
    ColorPrompt p = ColorPrompt.parse("A Large GREEN square, on a dark Grey background.");
    assertEquals(Optional.of(Set.of(ColorName.GRAY)), p.background());
    assertEquals(List.of(Set.of(ColorName.GREEN)), p.objects());
  }

  @Test
  void realPromptsHaveObjectColoursOnly() {
    ColorPrompt p = ColorPrompt.parse("a red apple and a green pear on a table, red tablecloth");
    assertTrue(p.background().isEmpty());
    assertEquals(List.of(Set.of(ColorName.RED), Set.of(ColorName.GREEN)), p.objects());
  }

  @Test
  void sameColourForObjectAndBackgroundCountsOnce() {
    ColorPrompt p = ColorPrompt.parse("a red circle on a red background");
    assertEquals(1, p.colourCount());
    assertTrue(p.objects().isEmpty());
  }

  @Test
  void promptWithoutColourWordsIsEmpty() {
    assertTrue(ColorPrompt.parse("a cat sleeping on a sofa, background blurred").isEmpty());
    assertTrue(ColorPrompt.parse("").isEmpty());
  }
}
