package dev.prefstream.scorer.service;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.avro.ScoredPair;
import dev.prefstream.core.kafka.DeadLetters;
import dev.prefstream.core.kafka.Decoded;
import dev.prefstream.core.service.Heartbeat;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import dev.prefstream.scorer.service.BatchScorer.Outcome;
import dev.prefstream.scorer.service.TransactionWriter.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker of the scoring service: a transactional consume-transform-produce loop with its own
 * consumer (in the service's group), transactional producer and scorers. Per poll: decode the
 * votes, score them as one batch, and send the scored pairs, the dead letters and the consumed
 * offsets in one transaction.
 *
 * <p>Pipelined: the transaction is written by the worker's {@link TransactionWriter} thread while
 * this thread polls and scores the next batch; before handing that batch over it waits for the
 * previous transaction to end, so at most one is open and they commit in consumption order. An
 * aborted transaction rewinds the consumer to its batch's first offsets (and drops the batch scored
 * meanwhile, which is read again too); being fenced (another instance took this transactional id)
 * ends the worker as failed. Partitions are given up only after the transaction in flight has
 * ended, so a rebalance never splits a batch from its commit.
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

  /** A batch handed to the writer, and the end of its transaction. */
  private record InFlight(Batch batch, CompletableFuture<Void> written) {}

  private final String name;
  private final String transactionalId;
  private final ScorerConfig config;
  private final Topics topics;
  private final DeadLetters deadLetters;
  private final ScorerMetrics metrics;
  private final Resources resources;
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Heartbeat heartbeat = new Heartbeat();
  private final int maxRecordBytes;
  private volatile boolean running = true;
  private volatile boolean ready;
  private volatile boolean failed;
  private volatile Consumer<byte[], byte[]> consumer;
  /** The batch whose transaction is being written; only the worker's thread touches it. */
  private InFlight inFlight;

  ScoringWorker(String name, String transactionalId, ScorerConfig config, Topics topics,
      DeadLetters deadLetters, ScorerMetrics metrics, Resources resources) {
    this.name = name;
    this.transactionalId = transactionalId;
    this.config = config;
    this.maxRecordBytes = config.maxRecordBytes();
    this.topics = topics;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.resources = resources;
  }

  String name() {
    return name;
  }

  /** Silent time of the worker's loop (one round per poll, or per batch scored and written). */
  Duration stalledFor() {
    return heartbeat.silentFor();
  }

  @Override
  public void run() {
    try (BatchScorer scorer = resources.scorer();
        Producer<byte[], byte[]> producer = resources.producer(transactionalId);
        Consumer<byte[], byte[]> c = resources.consumer(name)) {
      consumer = c;
      try (TransactionWriter writer = new TransactionWriter(name, producer, metrics)) {
        c.subscribe(List.of(topics.votes().name()), new SettleBeforeRebalance(c));
        ready = true;
        started.countDown();
        loop(c, scorer, writer);
        settle(c, null);
      } finally {
        // the writer has let the last transaction end; closing the consumer must not wait for it
        inFlight = null;
      }
    } catch (RuntimeException e) {
      failed = true;
      LOG.error("{} stopped: {}", name, e.toString(), e);
    } finally {
      heartbeat.stop();
      ready = false;
      started.countDown();
      ended.countDown();
    }
  }

  private void loop(Consumer<byte[], byte[]> c, BatchScorer scorer, TransactionWriter writer) {
    try {
      while (running) {
        heartbeat.beat();
        ConsumerRecords<byte[], byte[]> records = c.poll(config.pollTimeout());
        if (records.isEmpty()) {
          settle(c, null);
          continue;
        }
        Batch batch = score(records, c, scorer);
        if (settle(c, batch)) {
          inFlight = new InFlight(batch, writer.write(batch));
        }
      }
    } catch (WakeupException e) {
      LOG.debug("{} woken up to stop", name);
    }
  }

  /** Decodes and scores one poll's records into the batch to write. */
  private Batch score(ConsumerRecords<byte[], byte[]> records, Consumer<byte[], byte[]> c,
      BatchScorer scorer) {
    long t0 = System.nanoTime();
    ConsumerGroupMetadata group = c.groupMetadata();
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
        ProducerRecord<byte[], byte[]> record = scored(o.scored(), raw.timestamp());
        int size = record.key().length + record.value().length;
        if (size > maxRecordBytes) {
          out.add(deadLetter(deadLetters.of(raw, "record-too-large", "its scored record of " + size
              + " bytes is larger than the " + maxRecordBytes + " a transaction can carry")));
        } else {
          out.add(record);
          scored++;
        }
      } else {
        out.add(deadLetter(deadLetters.of(raw, o.reason(), o.error())));
      }
    }
    return new Batch(out, offsets(records, true), offsets(records, false), group, records.count(),
        scored, t0);
  }

  /**
   * Waits for the transaction in flight to end. If it was aborted, seeks back to its batch's first
   * offsets and drops {@code next} (scored meanwhile, read again from those offsets or its own
   * first ones) and returns false; rethrows when the producer cannot go on.
   */
  private boolean settle(Consumer<byte[], byte[]> c, Batch next) {
    InFlight f = inFlight;
    if (f == null) {
      return true;
    }
    inFlight = null;
    try {
      f.written().join();
      return true;
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof TransactionWriter.Aborted)) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      Map<TopicPartition, OffsetAndMetadata> rewind = new HashMap<>(f.batch().first());
      if (next != null) {
        next.first().forEach(rewind::putIfAbsent);
      }
      rewind.forEach((tp, offset) -> {
        if (c.assignment().contains(tp)) {
          c.seek(tp, offset);
        }
      });
      return false;
    }
  }

  /** Ends the transaction in flight before partitions are given up or lost. */
  private final class SettleBeforeRebalance implements ConsumerRebalanceListener {
    private final Consumer<byte[], byte[]> c;

    SettleBeforeRebalance(Consumer<byte[], byte[]> c) {
      this.c = c;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      settle(c, null);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
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

  /** Per partition, the offset after the batch's last record ({@code next}) or its first record. */
  private static Map<TopicPartition, OffsetAndMetadata> offsets(
      ConsumerRecords<byte[], byte[]> records, boolean next) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> rs = records.records(tp);
      ConsumerRecord<byte[], byte[]> r = next ? rs.get(rs.size() - 1) : rs.get(0);
      offsets.put(tp, new OffsetAndMetadata(r.offset() + (next ? 1 : 0), r.leaderEpoch(), ""));
    }
    return offsets;
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
