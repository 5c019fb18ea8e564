package dev.prefstream.core.kafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller, one node) run as a child JVM
 * from this process's own class path, listening on loopback only. The storage is formatted on first
 * start and kept, so a restart on the same data directory keeps every topic and record. Used by
 * {@code prefstream broker}, {@code prefstream demo} and the integration tests.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
  private static final String HOST = "127.0.0.1";

  /** Broker settings; a port of 0 picks a free one. */
  public record Settings(int port, int controllerPort, Path dataDir, String heap, int partitions,
      Map<String, String> extraServerProperties, Duration startTimeout) {

    public static Settings of(int port, Path dataDir) {
      return new Settings(port, 0, dataDir, "512m", 6, Map.of(), Duration.ofSeconds(90));
    }

    public Settings withHeap(String heap) {
      return new Settings(port, controllerPort, dataDir, heap, partitions, extraServerProperties, startTimeout);
    }
  }

  private final Settings settings;
  private final int port;
  private final int controllerPort;
  private Process process;

  private LocalKafkaBroker(Settings settings, int port, int controllerPort) {
    this.settings = settings;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats the storage if needed, starts the broker and returns once it answers clients. */
  public static LocalKafkaBroker start(Settings settings) {
    int port = settings.port() == 0 ? freePort() : settings.port();
    int controllerPort = settings.controllerPort() == 0 ? freePort() : settings.controllerPort();
    LocalKafkaBroker broker = new LocalKafkaBroker(settings, port, controllerPort);
    broker.startProcess();
    return broker;
  }

  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return settings.dataDir();
  }

  public Path logFile() {
    return settings.dataDir().resolve("logs").resolve("server.log");
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Optional<Long> pid() {
    return process == null ? Optional.empty() : Optional.of(process.pid());
  }

  /** Starts the broker again on the same ports and data after {@link #stop()} or {@link #kill()}. */
  public void restart() {
    if (isAlive()) {
      throw new IllegalStateException("broker is still running");
    }
    startProcess();
  }

  private void startProcess() {
    long t0 = System.nanoTime();
    try {
      Path dir = Files.createDirectories(settings.dataDir().toAbsolutePath());
      Files.createDirectories(dir.resolve("logs"));
      Path props = writeServerProperties(dir);
      Path log4j = writeLog4j(dir);
      if (!Files.exists(dir.resolve("kraft").resolve("meta.properties"))) {
        format(props, log4j, dir);
      }
      List<String> cmd = javaCommand(log4j, dir);
      cmd.add("kafka.Kafka");
      cmd.add(props.toString());
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs").resolve("stdout.log").toFile()))
          .start();
      awaitReady();
      LOG.info("Kafka broker ready at {} in {} ms (pid {}, data {})", bootstrapServers(),
          (System.nanoTime() - t0) / 1_000_000, process.pid(), dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Kafka broker in " + settings.dataDir(), e);
    }
  }

  private Path writeServerProperties(Path dir) throws IOException {
    StringBuilder s = new StringBuilder();
    Map<String, String> base = new java.util.LinkedHashMap<>();
    base.put("process.roles", "broker,controller");
    base.put("node.id", "1");
    base.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    base.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    base.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    base.put("controller.listener.names", "CONTROLLER");
    base.put("inter.broker.listener.name", "PLAINTEXT");
    base.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    base.put("log.dirs", dir.resolve("kraft").toString());
    base.put("num.partitions", String.valueOf(settings.partitions()));
    base.put("auto.create.topics.enable", "false");
    base.put("offsets.topic.replication.factor", "1");
    base.put("offsets.topic.num.partitions", "6");
    base.put("transaction.state.log.replication.factor", "1");
    base.put("transaction.state.log.min.isr", "1");
    base.put("transaction.state.log.num.partitions", "6");
    base.put("share.coordinator.state.topic.replication.factor", "1");
    base.put("share.coordinator.state.topic.min.isr", "1");
    base.put("group.initial.rebalance.delay.ms", "0");
    // the log cleaner allocates its dedupe buffer eagerly on the heap (128 MiB by default)
    base.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    base.putAll(settings.extraServerProperties());
    base.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
    Path props = dir.resolve("server.properties");
    Files.writeString(props, s.toString(), StandardCharsets.UTF_8);
    return props;
  }

  private static Path writeLog4j(Path dir) throws IOException {
    Path file = dir.resolve("log4j2-broker.properties");
    Files.writeString(file, String.join("\n",
        "status = warn",
        "appender.file.type = File",
        "appender.file.name = file",
        "appender.file.fileName = " + dir.resolve("logs").resolve("server.log"),
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = INFO",
        "rootLogger.appenderRef.file.ref = file",
        "logger.kafka.name = kafka",
        "logger.kafka.level = INFO",
        "logger.state.name = state.change.logger",
        "logger.state.level = WARN",
        // Kafka stops logging in its own shutdown hook; log4j's would close the appender first
        "shutdownHook = disable", ""), StandardCharsets.UTF_8);
    return file;
  }

  private void format(Path props, Path log4j, Path dir) throws IOException {
    List<String> cmd = javaCommand(log4j, dir);
    // "--cluster-id=" keeps an id that starts with "-" from being read as an option
    cmd.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id=" + randomClusterId(), "-c", props.toString()));
    Path out = dir.resolve("logs").resolve("format.log");
    Process f = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
        f.destroyForcibly();
        throw new IllegalStateException("formatting Kafka storage failed: " + Files.readString(out));
      }
    } catch (InterruptedException e) {
      f.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    }
  }

  private List<String> javaCommand(Path log4j, Path dir) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java,
        "-Xms" + settings.heap(), "-Xmx" + settings.heap(),
        "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        "-Dlog4j2.configurationFile=" + log4j,
        "-Dlog4j2.shutdownHookEnabled=false",
        "-Dkafka.logs.dir=" + dir.resolve("logs"),
        "-cp", System.getProperty("java.class.path")));
    return cmd;
  }

  private static String randomClusterId() {
    // Kafka cluster ids are 16 random bytes, URL-safe base64 without padding
    UUID u = UUID.randomUUID();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
    b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200, AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("Kafka broker exited with code " + process.exitValue()
              + " during start-up; see " + logFile() + " and " + logFile().resolveSibling("stdout.log"));
        }
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          if (System.nanoTime() > deadline) {
            process.destroyForcibly();
            throw new IllegalStateException("Kafka broker not ready after " + settings.startTimeout()
                + "; see " + logFile(), e);
          }
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
    }
  }

  /** Controlled shutdown (SIGTERM), then a forced stop if it takes longer than 30 s. */
  public void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        LOG.warn("Kafka broker did not stop within 30 s; killing it");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Kills the broker process at once (SIGKILL), as a crash would. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the broker process to end by itself (e.g. after a signal). */
  public int awaitExit() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() {
    stop();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  @Override
  public String toString() {
    return "LocalKafkaBroker[" + bootstrapServers() + ", " + settings.dataDir() + File.separator + "]";
  }
}
