package dev.prefstream.scorer.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a worker's batches, one transaction each, on a thread of its own, so that the worker
 * scores the next batch while the broker commits this one (a commit is several round trips, and
 * the broker's work, during which the worker would otherwise wait). Only this thread uses the
 * producer once the writer exists. The worker hands over a batch only after the previous one's
 * transaction has ended, so transactions stay in consumption order and at most one is open.
 */
final class TransactionWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionWriter.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

  /**
   * One polled batch, scored: the records to write, the consumed offsets to commit with them (the
   * next offset to read per partition), the batch's first offsets (where to read again after an
   * abort) and the consumer's group metadata at poll time (EOS v2 fencing by generation).
   */
  record Batch(List<ProducerRecord<byte[], byte[]>> out, Map<TopicPartition, OffsetAndMetadata> next,
      Map<TopicPartition, OffsetAndMetadata> first, ConsumerGroupMetadata group, int in, int scored,
      long startNanos) {}

  /** The transaction of a batch was aborted; its records must be read again. */
  static final class Aborted extends RuntimeException {
    Aborted(KafkaException cause) {
      super(cause.toString(), cause);
    }
  }

  private final String name;
  private final Producer<byte[], byte[]> producer;
  private final ScorerMetrics metrics;
  private final ExecutorService thread;

  TransactionWriter(String name, Producer<byte[], byte[]> producer, ScorerMetrics metrics) {
    this.name = name;
    this.producer = producer;
    this.metrics = metrics;
    this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "prefstream-" + name + "-tx"));
  }

  /**
   * Writes {@code batch} in one transaction. The future fails with {@link Aborted} when the
   * transaction was aborted (the worker rewinds), and with {@link IllegalStateException} when the
   * producer cannot write transactions any more (fenced, or the abort failed).
   */
  CompletableFuture<Void> write(Batch batch) {
    return CompletableFuture.runAsync(() -> commit(batch), thread);
  }

  private void commit(Batch batch) {
    try {
      producer.beginTransaction();
      batch.out().forEach(producer::send);
      producer.sendOffsetsToTransaction(batch.next(), batch.group());
      producer.commitTransaction();
      metrics.committed(batch.in(), batch.scored(), System.nanoTime() - batch.startNanos());
    } catch (KafkaException e) {
      if (isFatal(e)) {
        throw new IllegalStateException(name + " can no longer write transactions", e);
      }
      LOG.warn("{} aborts a transaction of {} records and reads them again: {}", name, batch.in(),
          e.toString());
      try {
        producer.abortTransaction();
      } catch (KafkaException abortError) {
        abortError.addSuppressed(e);
        throw new IllegalStateException(name + " cannot abort its transaction", abortError);
      }
      metrics.aborted();
      throw new Aborted(e);
    }
  }

  /** Errors after which this producer must not be used again (see KafkaProducer's javadoc). */
  private static boolean isFatal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof FencedInstanceIdException
          || t instanceof OutOfOrderSequenceException || t instanceof AuthorizationException
          || t instanceof UnsupportedVersionException) {
        return true;
      }
    }
    return false;
  }

  /** Lets the transaction in flight end, then stops the thread; the producer is the caller's. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn("{}: the transaction in flight did not end within {}", name, CLOSE_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
