package dev.prefstream.sim.feed;

import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.schemas.JsonVotes;
import dev.prefstream.schemas.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays real votes: reads a JSONL file (one vote per line in the JSON form of DESIGN.md's topic
 * contract, see {@link JsonVotes}) and produces every non-blank line, byte for byte, to the
 * {@code votes.json} topic, where the labeler validates and converts them.
 *
 * <p>Bad lines are <b>reported and still sent</b>: each line is also checked here with the labeler's own
 * validator; a line that fails is logged with its line number and reasons, counted, and sent anyway,
 * so the labeler dead-letters it with full provenance and the replayed file is accounted for line by
 * line in Kafka. Valid lines are keyed by their pair id; invalid ones have no key. Blank lines are
 * skipped.
 */
public final class VoteReplayer {
  private static final Logger LOG = LoggerFactory.getLogger(VoteReplayer.class);
  private static final int MAX_REPORTED = 100;

  private final KafkaClients clients;

  public VoteReplayer(KafkaClients clients) {
    this.clients = clients;
  }

  /** One line that failed validation (it was still sent). */
  public record BadLine(long lineNumber, String reason) {}

  /**
   * What a replay did.
   *
   * @param sent records produced (every non-blank line)
   * @param invalid lines that failed validation, included in {@code sent}
   * @param badLines the first {@value #MAX_REPORTED} invalid lines with their reasons
   */
  public record Result(long sent, long invalid, List<BadLine> badLines) {
    public Result {
      badLines = List.copyOf(badLines);
    }
  }

  /**
   * Sends every non-blank line of {@code file} and waits until the broker acknowledged them all; an
   * {@link IOException} if the file cannot be read or a record could not be produced.
   */
  public Result replay(Path file) throws IOException {
    Topic<byte[], byte[]> topic = clients.topics().votesJson();
    long sent = 0;
    long invalid = 0;
    List<BadLine> bad = new ArrayList<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        KafkaProducer<byte[], byte[]> producer = clients.producer("prefstream-replayer", new ByteArraySerializer(),
            new ByteArraySerializer())) {
      long lineNumber = 0;
      long now = System.currentTimeMillis();
      for (String line; (line = in.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        byte[] value = line.getBytes(StandardCharsets.UTF_8);
        JsonVotes.Result check = JsonVotes.parse(value, now);
        byte[] key = null;
        if (check.valid()) {
          key = check.vote().getPairId().getBytes(StandardCharsets.UTF_8);
        } else {
          invalid++;
          LOG.warn("{}:{}: invalid vote, sent for the labeler to dead-letter: {}", file, lineNumber,
              check.errorMessage());
          if (bad.size() < MAX_REPORTED) {
            bad.add(new BadLine(lineNumber, check.errorMessage()));
          }
        }
        producer.send(new ProducerRecord<>(topic.name(), key, value), (md, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
        sent++;
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IOException("could not produce every vote of " + file, failure.get());
    }
    LOG.info("replayed {} votes from {} ({} invalid)", sent, file, invalid);
    return new Result(sent, invalid, bad);
  }
}
