package dev.prefstream.core.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the brokers answer: a daemon thread asks the cluster for its nodes every {@code interval}
 * (each request given {@code interval} to answer). Unreachable from the start until the first answer,
 * and again once no answer came for {@code staleAfter}; a process is not ready while its brokers are
 * unreachable, since none of its services can do its work. Owns and closes its {@link Admin}.
 */
public final class BrokerProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerProbe.class);

  private final Admin admin;
  private final Duration interval;
  private final Duration staleAfter;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final Thread thread;
  private volatile long lastAnswer;
  private volatile boolean answered;
  private volatile boolean running = true;

  private BrokerProbe(Admin admin, Duration interval, Duration staleAfter, LongSupplier nanoTime) {
    this.admin = admin;
    this.interval = interval;
    this.staleAfter = staleAfter;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
    this.thread = new Thread(this::run, "broker-probe");
    thread.setDaemon(true);
  }

  /** Starts probing with {@code admin}, which the probe closes. */
  public static BrokerProbe start(Admin admin, Duration interval, Duration staleAfter) {
    if (interval.isZero() || interval.isNegative() || staleAfter.compareTo(interval) < 0) {
      throw new IllegalArgumentException("need interval > 0 and stale-after >= interval");
    }
    BrokerProbe probe = new BrokerProbe(admin, interval, staleAfter, System::nanoTime);
    probe.thread.start();
    return probe;
  }

  /** An answer came within the last {@code staleAfter}. */
  public boolean reachable() {
    return answered && nanoTime.getAsLong() - lastAnswer < staleAfter.toNanos();
  }

  /** How long without an answer (since start if there never was one); zero while reachable. */
  public Duration unreachableFor() {
    if (reachable()) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(nanoTime.getAsLong() - (answered ? lastAnswer : startNanos));
  }

  private void run() {
    boolean wasReachable = false;
    while (running) {
      long t0 = nanoTime.getAsLong();
      try {
        int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) interval.toMillis()))
            .nodes().get(interval.toMillis() * 2, TimeUnit.MILLISECONDS).size();
        if (nodes > 0) {
          lastAnswer = nanoTime.getAsLong();
          answered = true;
        }
      } catch (ExecutionException | TimeoutException e) {
        // no answer: reachable() turns false once staleAfter has passed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.debug("broker probe failed", e);
      }
      boolean now = reachable();
      if (now != wasReachable) {
        LOG.info(now ? "brokers reachable" : "brokers unreachable for {}", unreachableFor());
        wasReachable = now;
      }
      long left = interval.toNanos() - (nanoTime.getAsLong() - t0);
      if (left > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(interval.toMillis() * 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(1));
  }
}
