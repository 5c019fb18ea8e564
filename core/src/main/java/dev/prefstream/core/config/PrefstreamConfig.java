package dev.prefstream.core.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Immutable layered configuration. Layers, later ones winning:
 *
 * <ol>
 *   <li>defaults in code (each service passes its own);
 *   <li>a properties file ({@code --config FILE});
 *   <li>environment: {@code KAFKA_BOOTSTRAP_SERVERS} becomes {@code kafka.bootstrap.servers} (every
 *       {@code KAFKA_*} variable is passed to the Kafka clients), {@code PREFSTREAM_LABELER_POLICY}
 *       becomes {@code labeler.policy};
 *   <li>command-line flags ({@code --set key=value} and the dedicated flags of each command).
 * </ol>
 *
 * Keys under {@code kafka.} are Kafka client properties without the prefix. {@link #toString()}
 * masks secrets, so the whole config can be logged at start.
 */
public final class PrefstreamConfig {
  private static final List<String> SECRET_MARKERS =
      List.of("password", "secret", "token", "sasl.jaas.config", "credential", "private", "apikey", "api.key");

  private final Map<String, String> values;

  private PrefstreamConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static PrefstreamConfig of(Map<String, String> values) {
    return new PrefstreamConfig(values);
  }

  public static PrefstreamConfig empty() {
    return new PrefstreamConfig(Map.of());
  }

  /** Builds the documented layering from a properties file (may be null), the environment and flags. */
  public static PrefstreamConfig load(Map<String, String> defaults, Path file, Map<String, String> env,
      Map<String, String> flags) {
    Map<String, String> merged = new TreeMap<>(defaults);
    if (file != null) {
      merged.putAll(readProperties(file));
    }
    merged.putAll(fromEnvironment(env));
    merged.putAll(flags);
    return new PrefstreamConfig(merged);
  }

  /** {@code KAFKA_FOO_BAR -> kafka.foo.bar}, {@code PREFSTREAM_FOO_BAR -> foo.bar}; others ignored. */
  public static Map<String, String> fromEnvironment(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    env.forEach((k, v) -> {
      if (k.startsWith("KAFKA_") && k.length() > 6) {
        out.put("kafka." + envKey(k.substring(6)), v);
      } else if (k.startsWith("PREFSTREAM_") && k.length() > 11) {
        out.put(envKey(k.substring(11)), v);
      }
    });
    return out;
  }

  private static String envKey(String s) {
    return s.toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
  }

  public static Map<String, String> readProperties(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file, e);
    }
    return p.stringPropertyNames().stream().collect(Collectors.toMap(Function.identity(), p::getProperty));
  }

  /** A copy with more values on top. */
  public PrefstreamConfig with(Map<String, String> more) {
    Map<String, String> m = new TreeMap<>(values);
    m.putAll(more);
    return new PrefstreamConfig(m);
  }

  public PrefstreamConfig with(String key, String value) {
    return with(Map.of(key, value));
  }

  public Map<String, String> asMap() {
    return values;
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public String string(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public String required(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing required setting '" + key + "'");
    }
    return v;
  }

  public int integer(String key, int fallback) {
    return parse(key, fallback, Integer::parseInt);
  }

  public long longValue(String key, long fallback) {
    return parse(key, fallback, Long::parseLong);
  }

  public double number(String key, double fallback) {
    return parse(key, fallback, Double::parseDouble);
  }

  /** A duration as ISO-8601 ({@code PT30S}) or a number with unit ms, s, m, h ({@code 500ms}, {@code 30s}). */
  public Duration duration(String key, Duration fallback) {
    return parse(key, fallback, PrefstreamConfig::parseDuration);
  }

  public List<String> list(String key, List<String> fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  public Path path(String key, Path fallback) {
    return parse(key, fallback, Path::of);
  }

  /** Every key under {@code prefix} with the prefix removed, e.g. {@code section("kafka.")}. */
  public Map<String, String> section(String prefix) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  public static Duration parseDuration(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("not a duration");
    }
    double n = Double.parseDouble(t.substring(0, i));
    return switch (t.substring(i).strip()) {
      case "ms" -> Duration.ofMillis(Math.round(n));
      case "s", "" -> Duration.ofMillis(Math.round(n * 1000));
      case "m", "min" -> Duration.ofMillis(Math.round(n * 60_000));
      case "h" -> Duration.ofMillis(Math.round(n * 3_600_000));
      default -> throw new IllegalArgumentException("unknown duration unit in '" + s + "'");
    };
  }

  private <T> T parse(String key, T fallback, Function<String, T> parser) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return parser.apply(v.strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("setting '" + key + "' has an invalid value '" + mask(key, v) + "'", e);
    }
  }

  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return SECRET_MARKERS.stream().anyMatch(k::contains);
  }

  private static String mask(String key, String value) {
    return isSecret(key) ? "****" : value;
  }

  /** One {@code key=value} per line, secrets masked. */
  public String describe() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + mask(e.getKey(), e.getValue()))
        .collect(Collectors.joining("\n"));
  }

  @Override
  public String toString() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + mask(e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
