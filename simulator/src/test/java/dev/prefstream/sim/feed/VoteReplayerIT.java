package dev.prefstream.sim.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.core.config.PrefstreamConfig;
import dev.prefstream.core.kafka.KafkaClients;
import dev.prefstream.core.testing.KafkaBroker;
import dev.prefstream.core.testing.Votes;
import dev.prefstream.schemas.JsonVotes;
import dev.prefstream.schemas.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(KafkaBroker.class)
class VoteReplayerIT {

  @Test
  void sendsEveryLineAsIsAndReportsTheInvalidOnes(@TempDir Path dir) throws Exception {
    PrefstreamConfig config = KafkaBroker.freshConfig(1);
    Topics topics = KafkaBroker.freshTopics(config);
    PreferenceVote first = Votes.vote(1, "u1", Choice.A);
    PreferenceVote second = Votes.vote(2, "u2", Choice.TIE);
    List<String> lines = List.of(JsonVotes.toJson(first), "", "{\"voteId\": \"x\", \"choice\": \"maybe\"}",
        JsonVotes.toJson(second));
    Path file = Files.write(dir.resolve("votes.jsonl"), lines, StandardCharsets.UTF_8);

    try (KafkaClients clients = new KafkaClients(config, new SimpleMeterRegistry())) {
      VoteReplayer.Result result = new VoteReplayer(clients).replay(file);
      assertEquals(3, result.sent());
      assertEquals(1, result.invalid());
      assertEquals(3, result.badLines().get(0).lineNumber());

      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = clients.rawConsumer(null, "replay-it", java.util.Map.of())) {
        var partition = new org.apache.kafka.common.TopicPartition(topics.votesJson().name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (read.size() < 3 && System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
      }
      assertEquals(3, read.size());
      assertArrayEquals(lines.get(0).getBytes(StandardCharsets.UTF_8), read.get(0).value());
      assertArrayEquals(first.getPairId().getBytes(StandardCharsets.UTF_8), read.get(0).key());
      assertArrayEquals(lines.get(2).getBytes(StandardCharsets.UTF_8), read.get(1).value());
      assertNull(read.get(1).key());
      assertArrayEquals(lines.get(3).getBytes(StandardCharsets.UTF_8), read.get(2).value());
    }
  }
}
