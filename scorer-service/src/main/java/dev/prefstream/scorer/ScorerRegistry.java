package dev.prefstream.scorer;

import dev.prefstream.scorer.builtin.ColorMatchScorer;
import dev.prefstream.scorer.builtin.ColorfulnessScorer;
import dev.prefstream.scorer.builtin.ContrastScorer;
import dev.prefstream.scorer.builtin.DetailScorer;
import dev.prefstream.scorer.torchscript.EmbeddingSimilarityScorerFactory;
import dev.prefstream.scorer.torchscript.ImageHeadScorerFactory;
import dev.prefstream.scorer.torchscript.ScorerDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The configured set of scorers, built from {@link ScorerSpec} strings. It owns one
 * {@link ScorerFactory} per spec (TorchScript factories hold the loaded models); each worker thread
 * calls {@link #newScorers()} for its own instances. Close the scorers, then the registry.
 */
public final class ScorerRegistry implements AutoCloseable {
  /** The built-in kinds, which need no argument. */
  public static final List<String> BUILTIN_KINDS = List.of(DetailScorer.NAME,
      ColorfulnessScorer.NAME, ContrastScorer.NAME, ColorMatchScorer.NAME);
  /** The kind of {@link EmbeddingSimilarityScorerFactory} scorers. */
  public static final String EMBEDDING = "torchscript-embedding";
  /** The kind of {@link ImageHeadScorerFactory} scorers. */
  public static final String HEAD = "torchscript-head";

  private final List<ScorerFactory> factories;

  private ScorerRegistry(List<ScorerFactory> factories) {
    this.factories = List.copyOf(factories);
  }

  /**
   * Builds the factories of the specs, in order. Fails (closing what it opened) on an unknown kind,
   * a duplicate name, a bad descriptor or a model file whose digest does not match.
   */
  public static ScorerRegistry fromSpecs(List<String> specs) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("no scorers configured");
    }
    List<ScorerFactory> opened = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try {
      for (String text : specs) {
        ScorerSpec spec = ScorerSpec.parse(text);
        if (!names.add(spec.name())) {
          throw new IllegalArgumentException("two scorers are named '" + spec.name() + "'");
        }
        opened.add(open(spec));
      }
      return new ScorerRegistry(opened);
    } catch (RuntimeException e) {
      opened.forEach(ScorerFactory::close);
      throw e;
    }
  }

  private static ScorerFactory open(ScorerSpec spec) {
    return switch (spec.kind()) {
      case DetailScorer.NAME -> builtin(spec, DetailScorer.VERSION, DetailScorer::new);
      case ColorfulnessScorer.NAME ->
          builtin(spec, ColorfulnessScorer.VERSION, ColorfulnessScorer::new);
      case ContrastScorer.NAME -> builtin(spec, ContrastScorer.VERSION, ContrastScorer::new);
      case ColorMatchScorer.NAME -> builtin(spec, ColorMatchScorer.VERSION, ColorMatchScorer::new);
      case EMBEDDING -> EmbeddingSimilarityScorerFactory.open(spec.name(), descriptor(spec));
      case HEAD -> ImageHeadScorerFactory.open(spec.name(), descriptor(spec));
      default -> throw new IllegalArgumentException("unknown scorer kind in '" + spec
          + "' (known: " + BUILTIN_KINDS + ", " + EMBEDDING + ", " + HEAD + ")");
    };
  }

  private static ScorerFactory builtin(ScorerSpec spec, String version, Supplier<Scorer> maker) {
    if (!spec.name().equals(spec.kind()) || !spec.argument().isEmpty()) {
      throw new IllegalArgumentException("built-in scorer '" + spec.kind()
          + "' takes no name or argument: '" + spec + "'");
    }
    return new BuiltinFactory(spec.kind(), version, maker);
  }

  private static ScorerDescriptor descriptor(ScorerSpec spec) {
    if (spec.argument().isEmpty()) {
      throw new IllegalArgumentException("'" + spec + "' needs a descriptor: "
          + spec.kind() + ":<name>:<descriptor file or directory>");
    }
    try {
      return ScorerDescriptor.load(Path.of(spec.argument()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read descriptor of scorer '" + spec.name() + "'", e);
    }
  }

  /** The factories, in spec order. */
  public List<ScorerFactory> factories() {
    return factories;
  }

  /**
   * A fresh scorer of every factory, in spec order, for the calling thread. If one cannot be made,
   * the ones already made are closed.
   */
  public List<Scorer> newScorers() {
    List<Scorer> scorers = new ArrayList<>(factories.size());
    try {
      for (ScorerFactory factory : factories) {
        scorers.add(factory.create());
      }
      return scorers;
    } catch (RuntimeException e) {
      scorers.forEach(Scorer::close);
      throw e;
    }
  }

  @Override
  public void close() {
    factories.forEach(ScorerFactory::close);
  }

  /** The built-in scorers are stateless: a factory only creates them. */
  private record BuiltinFactory(String name, String version, Supplier<Scorer> maker)
      implements ScorerFactory {
    @Override
    public Scorer create() {
      return maker.get();
    }
  }
}
