package dev.prefstream.trainer;

import dev.prefstream.diffusion.train.ReferenceUpdate;
import java.util.Locale;

/**
 * When the frozen reference follows the policy (METHOD.md section 2): {@code none} (the reference
 * stays the initial model), {@code hard:N} (copy the policy every N optimizer steps),
 * {@code soft:ALPHA:N} (ref <- ALPHA * policy + (1 - ALPHA) * ref every N steps) or
 * {@code per-version:K} (copy the policy after every K-th published version, i.e. whenever the
 * version number is a multiple of K). {@link #toString()} gives back the config spelling, which is
 * what manifests record.
 */
public record ReferenceSchedule(Kind kind, int every, float alpha) {

  /** The kinds of schedule. */
  public enum Kind {
    NONE,
    HARD,
    SOFT,
    PER_VERSION
  }

  public ReferenceSchedule {
    if (kind != Kind.NONE && every <= 0) {
      throw new IllegalArgumentException("the reference period must be positive: " + every);
    }
    if (kind == Kind.SOFT && !(alpha > 0f && alpha <= 1f)) {
      throw new IllegalArgumentException("the soft-update alpha must be in (0, 1]: " + alpha);
    }
  }

  public static ReferenceSchedule none() {
    return new ReferenceSchedule(Kind.NONE, 0, 0f);
  }

  /** Parses {@code none}, {@code hard:N}, {@code soft:ALPHA:N} or {@code per-version:K}. */
  public static ReferenceSchedule parse(String spec) {
    String[] parts = spec.strip().toLowerCase(Locale.ROOT).split(":");
    try {
      return switch (parts[0]) {
        case "none" -> {
          expectParts(parts, 1, spec);
          yield none();
        }
        case "hard" -> {
          expectParts(parts, 2, spec);
          yield new ReferenceSchedule(Kind.HARD, Integer.parseInt(parts[1]), 1f);
        }
        case "soft" -> {
          expectParts(parts, 3, spec);
          yield new ReferenceSchedule(Kind.SOFT, Integer.parseInt(parts[2]), Float.parseFloat(parts[1]));
        }
        case "per-version" -> {
          expectParts(parts, 2, spec);
          yield new ReferenceSchedule(Kind.PER_VERSION, Integer.parseInt(parts[1]), 1f);
        }
        default -> throw new IllegalArgumentException("unknown reference schedule '" + spec
            + "' (none | hard:N | soft:ALPHA:N | per-version:K)");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in reference schedule '" + spec + "'", e);
    }
  }

  private static void expectParts(String[] parts, int n, String spec) {
    if (parts.length != n) {
      throw new IllegalArgumentException("reference schedule '" + spec
          + "' has the wrong number of fields (none | hard:N | soft:ALPHA:N | per-version:K)");
    }
  }

  /** The step-driven part, run inside diffusion's DPO trainer; per-version replacement is not one. */
  public ReferenceUpdate stepUpdate() {
    return switch (kind) {
      case HARD -> ReferenceUpdate.hardCopyEvery(every);
      case SOFT -> ReferenceUpdate.softUpdateEvery(every, alpha);
      case NONE, PER_VERSION -> ReferenceUpdate.none();
    };
  }

  /** Whether the reference is replaced by the policy right after publishing {@code version}. */
  public boolean replaceAfterVersion(int version) {
    return kind == Kind.PER_VERSION && version > 0 && version % every == 0;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case NONE -> "none";
      case HARD -> "hard:" + every;
      case SOFT -> "soft:" + alpha + ":" + every;
      case PER_VERSION -> "per-version:" + every;
    };
  }
}
