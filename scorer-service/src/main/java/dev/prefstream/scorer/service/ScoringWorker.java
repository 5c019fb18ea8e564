package dev.prefstream.scorer.service;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.core.kafka.Decoded;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import dev.prefstream.scorer.service.BatchScorer.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the scoring service: a transactional consume-transform-produce loop with its own
 * consumer (in the service's group), transactional producer and scorers. Per poll: decode the
 * votes, score them as one batch, and send the scored pairs, the dead letters and the consumed
 * offsets in one transaction. An aborted transaction rewinds the consumer to the batch's first
 * offsets, so the batch is read again; being fenced (another instance took this transactional id)
 * ends the worker as failed.
 */
final class ScoringWorker implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringWorker.class);

  /**
   * Makes what a worker owns, on the worker's thread: the producer first (its
   * {@code initTransactions} fences an earlier holder of the transactional id), then the consumer.
   */
  interface Resources {
    BatchScorer scorer();

    /** A transactional producer of raw bytes, {@code initTransactions} done. */
    Producer<byte[], byte[]> producer(String transactionalId);

    Consumer<byte[], byte[]> consumer(String clientId);
  }

  private final String name;
  private final String transactionalId;
  private final ScorerConfig config;
  private final Topics topics;
  private final DeadLetters deadLetters;
  private final ScorerMetrics metrics;
  private final Resources resources;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean ready;
  private volatile boolean failed;
  private volatile Consumer<byte[], byte[]> consumer;

  ScoringWorker(String name, String transactionalId, ScorerConfig config, Topics topics, DeadLetters deadLetters,
      ScorerMetrics metrics, Resources resources) {
    this.name = name;
    this.transactionalId = transactionalId;
    this.config = config;
    this.topics = topics;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.resources = resources;
  }

  String name() {
    return name;
  }

  @Override
  public void run() {
    try (BatchScorer scorer = resources.scorer();
        Producer<byte[], byte[]> producer = resources.producer(transactionalId);
        Consumer<byte[], byte[]> c = resources.consumer(name)) {
      consumer = c;
      c.subscribe(List.of(topics.votes().name()));
      ready = true;
      started.countDown();
      while (running) {
        ConsumerRecords<byte[], byte[]> records = c.poll(config.pollTimeout());
        if (!records.isEmpty()) {
          process(records, c, producer, scorer);
        }
      }
    } catch (WakeupException e) {
      LOG.debug("{} woken up to stop", name);
    } catch (RuntimeException e) {
      failed = true;
      LOG.error("{} stopped: {}", name, e.toString(), e);
    } finally {
      ready = false;
      started.countDown();
      ended.countDown();
    }
  }

  private void process(ConsumerRecords<byte[], byte[]> records, Consumer<byte[], byte[]> c,
      Producer<byte[], byte[]> producer, BatchScorer scorer) {
    long t0 = System.nanoTime();
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(records.count());
    List<Decoded<String, PreferenceVote>> good = new ArrayList<>(records.count());
    for (ConsumerRecord<byte[], byte[]> raw : records) {
      Decoded<String, PreferenceVote> d = Decoded.decode(raw, topics.votes(), deadLetters);
      if (d.ok()) {
        good.add(d);
      } else {
        out.add(deadLetter(d.deadLetter()));
      }
    }
    List<Outcome> outcomes = scorer.score(good.stream().map(Decoded::value).toList());
    int scored = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      ConsumerRecord<byte[], byte[]> raw = good.get(i).raw();
      if (o.ok()) {
        out.add(scored(o.scored(), raw.timestamp()));
        scored++;
      } else {
        out.add(deadLetter(deadLetters.of(raw, o.reason(), o.error())));
      }
    }
    try {
      producer.beginTransaction();
      out.forEach(producer::send);
      producer.sendOffsetsToTransaction(nextOffsets(records), c.groupMetadata());
      producer.commitTransaction();
      metrics.committed(records.count(), scored, System.nanoTime() - t0);
    } catch (KafkaException e) {
      abortAndRewind(e, records, c, producer);
    }
  }

  private ProducerRecord<byte[], byte[]> scored(ScoredPair pair, long timestamp) {
    Topic<String, ScoredPair> t = topics.scored();
    String key = pair.getVote().getPairId();
    return new ProducerRecord<>(t.name(), null, timestamp,
        t.keySerde().serializer().serialize(t.name(), key),
        t.valueSerde().serializer().serialize(t.name(), pair));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(ProducerRecord<byte[], DeadLetter> letter) {
    Topic<byte[], DeadLetter> t = deadLetters.topic();
    return new ProducerRecord<>(letter.topic(), letter.key(),
        t.valueSerde().serializer().serialize(t.name(), letter.value()));
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
      ConsumerRecord<byte[], byte[]> last = rs.get(rs.size() - 1);
      offsets.put(tp, new OffsetAndMetadata(last.offset() + 1, last.leaderEpoch(), ""));
    }
    return offsets;
  }

  /**
   * Aborts the transaction and seeks back to the batch's first offsets (the positions the last
   * committed transaction left), or rethrows when the producer cannot go on.
   */
  private void abortAndRewind(KafkaException cause, ConsumerRecords<byte[], byte[]> records,
      Consumer<byte[], byte[]> c, Producer<byte[], byte[]> producer) {
    if (isFatal(cause)) {
      throw new IllegalStateException(name + " can no longer write transactions", cause);
    }
    LOG.warn("{} aborts a transaction of {} records and reads them again: {}", name,
        records.count(), cause.toString());
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      e.addSuppressed(cause);
      throw new IllegalStateException(name + " cannot abort its transaction", e);
    }
    metrics.aborted();
    for (TopicPartition tp : records.partitions()) {
      if (c.assignment().contains(tp)) {
        ConsumerRecord<byte[], byte[]> first = records.records(tp).get(0);
        c.seek(tp, new OffsetAndMetadata(first.offset(), first.leaderEpoch(), ""));
      }
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

  boolean isReady() {
    return ready;
  }

  boolean hasFailed() {
    return failed;
  }

  /** Waits until the worker polls (or has ended); true when it is ready. */
  boolean awaitStarted(long nanos) throws InterruptedException {
    return started.await(nanos, TimeUnit.NANOSECONDS) && ready;
  }

  /** Asks the loop to end after the current batch; wakes a waiting poll. */
  void stop() {
    running = false;
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  /** Waits for the loop to end. */
  boolean awaitEnded(long nanos) throws InterruptedException {
    return ended.await(nanos, TimeUnit.NANOSECONDS);
  }
}
