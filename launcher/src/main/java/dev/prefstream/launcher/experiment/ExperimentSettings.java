package dev.prefstream.launcher.experiment;

import dev.prefstream.core.config.PrefstreamConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one experiment does. Read from {@code experiment.*} keys over a preset's defaults:
 * {@code experiment.pairs} (pairs in the vote log), {@code experiment.votes-per-pair},
 * {@code experiment.images-per-prompt} (images sampled per prompt, every two a pair: 2 gives one pair
 * per prompt, 4 gives six), {@code experiment.log-seed} (the simulator's seed for the log), {@code experiment.seeds} (training
 * seeds, one run of every trained arm per seed), {@code experiment.steps} (DPO steps per run),
 * {@code experiment.eval-every} (steps between evaluations), {@code experiment.arms},
 * {@code experiment.holdout-share} (pairs held out from training, by pair id, for the implicit
 * accuracy), {@code experiment.arrival.first} and {@code experiment.arrival.per-step} (pairs arrive
 * as in the live loop: the first N before step 1, then so many per step, in log order; first 0 puts
 * every pair in the buffer from the start); evaluation uses {@code eval.prompts} and
 * {@code eval.seeds}; training every {@code trainer.*} key.
 */
public record ExperimentSettings(String preset, int pairs, int votesPerPair, int imagesPerPrompt, long logSeed, List<Long> seeds,
    int steps, int evalEvery, List<Arm> arms, double holdoutShare, int arrivalFirst, double arrivalPerStep,
    int evalPrompts, int evalSeeds, Map<String, String> trainer) {

  public ExperimentSettings {
    seeds = List.copyOf(seeds);
    arms = List.copyOf(arms);
    // sorted, so settings.json is the same text in every JVM (Map.copyOf's order is salted per JVM)
    trainer = Collections.unmodifiableSortedMap(new TreeMap<>(trainer));
    if (pairs <= 0 || votesPerPair <= 0 || imagesPerPrompt < 2 || seeds.isEmpty() || steps <= 0 || evalEvery <= 0 || steps % evalEvery != 0) {
      throw new IllegalArgumentException("need pairs, votes per pair, 2+ images per prompt, seeds and steps > 0, and steps a multiple of eval-every");
    }
    if (!(holdoutShare >= 0 && holdoutShare < 1)) {
      throw new IllegalArgumentException("experiment.holdout-share must be in [0, 1)");
    }
    if (arrivalFirst < 0 || !(arrivalPerStep >= 0)) {
      throw new IllegalArgumentException("experiment.arrival.first and .per-step must be >= 0");
    }
  }

  /** The defaults of a preset: {@code ci} (a few minutes) or {@code full} (under an hour on 2 cores). */
  public static Map<String, String> preset(String name) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("experiment.votes-per-pair", "3");
    d.put("experiment.log-seed", "20261207");
    d.put("experiment.arms", "base,human,oracle");
    d.put("experiment.holdout-share", "0.1");
    d.put("trainer.batch-pairs", "8");
    d.put("trainer.keep-checkpoints", "1");
    switch (name) {
      case "ci" -> {
        d.put("experiment.pairs", "40");
        d.put("experiment.seeds", "1,2");
        d.put("experiment.steps", "8");
        d.put("experiment.eval-every", "4");
        d.put("eval.prompts", "8");
        d.put("eval.seeds", "1");
        d.put("experiment.holdout-share", "0.2");
      }
      case "full" -> {
        d.put("experiment.pairs", "320");
        d.put("experiment.seeds", "1,2,3");
        d.put("experiment.steps", "200");
        d.put("experiment.eval-every", "100");
        d.put("eval.prompts", "64");
        d.put("eval.seeds", "2");
      }
      default -> throw new IllegalArgumentException("unknown preset '" + name + "': ci or full");
    }
    return d;
  }

  public static ExperimentSettings from(String preset, PrefstreamConfig c) {
    Map<String, String> trainer = new TreeMap<>();
    c.asMap().forEach((k, v) -> {
      if (k.startsWith("trainer.")) {
        trainer.put(k, v);
      }
    });
    return new ExperimentSettings(preset,
        c.integer("experiment.pairs", 40),
        c.integer("experiment.votes-per-pair", 3),
        c.integer("experiment.images-per-prompt", 2),
        c.longValue("experiment.log-seed", 20261207),
        c.list("experiment.seeds", List.of("1")).stream().map(Long::parseLong).toList(),
        c.integer("experiment.steps", 8),
        c.integer("experiment.eval-every", 4),
        c.list("experiment.arms", List.of("base", "human", "oracle")).stream().map(Arm::fromConfigName).toList(),
        c.number("experiment.holdout-share", 0.1),
        c.integer("experiment.arrival.first", 0),
        c.number("experiment.arrival.per-step", 0),
        c.integer("eval.prompts", 64),
        c.integer("eval.seeds", 2),
        trainer);
  }

  /** The arms that train (every arm but the base). */
  public List<Arm> trainedArms() {
    return arms.stream().filter(Arm::trains).toList();
  }

  /** Labelled pairs in the buffer when step {@code step + 1} is taken (all of them without arrival). */
  public int arrived(long step, int logPairs) {
    if (arrivalFirst == 0) {
      return logPairs;
    }
    return (int) Math.min(logPairs, arrivalFirst + Math.floor(arrivalPerStep * step));
  }

  /** Steps at which every trained run is evaluated: eval-every, 2 eval-every, ..., steps. */
  public List<Integer> evalSteps() {
    return java.util.stream.IntStream.rangeClosed(1, steps / evalEvery).map(i -> i * evalEvery).boxed().toList();
  }
}
