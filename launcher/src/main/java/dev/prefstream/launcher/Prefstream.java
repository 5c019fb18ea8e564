package dev.prefstream.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code prefstream} command: one subcommand per service, plus the demo and the benchmarks. */
@Command(name = "prefstream", mixinStandardHelpOptions = true, versionProvider = Prefstream.Version.class,
    description = "Live human image-preference votes on Kafka, multi-scorer labels, continuous Diffusion-DPO.",
    subcommands = {BrokerCommand.class, TopicsCommand.class, ScorerCommand.class, LabelerCommand.class,
        TrainerCommand.class, RelabelCommand.class, SimulatorCommands.Feed.class,
        SimulatorCommands.Pretrain.class, SimulatorCommands.Eval.class, DemoCommand.class, ExperimentCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Prefstream implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("ai.djl.offline", "true");
    // Avro decodes generated classes only from trusted packages; without this every record is refused
    if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
      System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.prefstream.avro");
    }
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new Prefstream()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version from the jar manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Prefstream.class.getPackage().getImplementationVersion();
      return new String[] {"prefstream " + (v == null ? "dev" : v)};
    }
  }
}
