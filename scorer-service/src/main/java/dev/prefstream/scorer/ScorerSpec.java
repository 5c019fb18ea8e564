package dev.prefstream.scorer;

import java.util.regex.Pattern;

/**
 * One entry of the configured scorer list, {@code kind[:name[:argument]]}:
 *
 * <ul>
 *   <li>{@code detail}, {@code colorfulness}, {@code contrast}, {@code color-match}: built-ins;
 *   <li>{@code torchscript-embedding:<name>:<descriptor>}: image/text embedding similarity;
 *   <li>{@code torchscript-head:<name>:<descriptor>}: image encoder plus scoring head.
 * </ul>
 *
 * A descriptor is a properties file, or a directory holding {@code scorer.properties}. Names are
 * lower-case letters, digits, '.', '_' and '-' (they appear in records and metric tags).
 *
 * @param kind the kind of scorer
 * @param name the scorer's name; for built-ins, the kind
 * @param argument what the kind needs (a descriptor path), or empty
 */
public record ScorerSpec(String kind, String name, String argument) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  public ScorerSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("scorer name '" + name + "' must match " + NAME);
    }
  }

  /** Parses {@code kind[:name[:argument]]}; the name defaults to the kind. */
  public static ScorerSpec parse(String spec) {
    String[] parts = spec.trim().split(":", 3);
    String kind = parts[0];
    String name = parts.length > 1 ? parts[1] : kind;
    String argument = parts.length > 2 ? parts[2] : "";
    return new ScorerSpec(kind, name, argument);
  }

  @Override
  public String toString() {
    return kind + (name.equals(kind) ? "" : ":" + name) + (argument.isEmpty() ? "" : ":" + argument);
  }
}
