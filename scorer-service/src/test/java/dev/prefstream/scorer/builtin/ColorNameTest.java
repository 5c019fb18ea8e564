package dev.prefstream.scorer.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColorNameTest {

  @ParameterizedTest(name = "{0} ({1},{2},{3}) is {4}")
  @CsvSource({
    "red, 255, 0, 0, RED",
    "darkred, 139, 0, 0, RED",
    "crimson, 220, 20, 60, RED",
    "brown, 165, 42, 42, BROWN",
    "saddlebrown, 139, 69, 19, BROWN",
    "sienna, 160, 82, 45, BROWN",
    "orange, 255, 165, 0, ORANGE",
    "darkorange, 255, 140, 0, ORANGE",
    "gold, 255, 215, 0, YELLOW",
    "yellow, 255, 255, 0, YELLOW",
    "green, 0, 128, 0, GREEN",
    "lime, 0, 255, 0, GREEN",
    "forestgreen, 34, 139, 34, GREEN",
    "cyan, 0, 255, 255, CYAN",
    "teal, 0, 128, 128, CYAN",
    "turquoise, 64, 224, 208, CYAN",
    "blue, 0, 0, 255, BLUE",
    "navy, 0, 0, 128, BLUE",
    "skyblue, 135, 206, 235, BLUE",
    "purple, 128, 0, 128, PURPLE",
    "indigo, 75, 0, 130, PURPLE",
    "blueviolet, 138, 43, 226, PURPLE",
    "magenta, 255, 0, 255, PINK",
    "pink, 255, 192, 203, PINK",
    "hotpink, 255, 105, 180, PINK",
    "deeppink, 255, 20, 147, PINK",
    "white, 255, 255, 255, WHITE",
    "whitesmoke, 245, 245, 245, WHITE",
    "silver, 192, 192, 192, GRAY",
    "gray, 128, 128, 128, GRAY",
    "dimgray, 105, 105, 105, GRAY",
    "black, 0, 0, 0, BLACK",
    "nearblack, 30, 10, 40, BLACK",
  })
  void namesCssColours(String css, int r, int g, int b, ColorName expected) {
    assertEquals(expected, ColorName.of(r / 255f, g / 255f, b / 255f), css);
  }

  /** The simulator's palette (simulator PaletteColor), as rendered. */
  @ParameterizedTest(name = "simulator {0}")
  @CsvSource({
    "0.85, 0.10, 0.10, RED",
    "0.10, 0.65, 0.20, GREEN",
    "0.12, 0.25, 0.88, BLUE",
    "0.95, 0.90, 0.10, YELLOW",
    "0.52, 0.15, 0.68, PURPLE",
    "1.00, 0.50, 0.00, ORANGE",
    "0.96, 0.96, 0.96, WHITE",
    "0.06, 0.06, 0.06, BLACK",
  })
  void namesTheSimulatorPalette(float r, float g, float b, ColorName expected) {
    assertEquals(expected, ColorName.of(r, g, b));
  }
}
