package dev.prefstream.labeler;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.avro.PreferenceVote;
import dev.prefstream.labeler.errors.LabelerDeadLetters;
import dev.prefstream.labeler.stream.Emission;
import dev.prefstream.labeler.stream.Emission.Destination;
import dev.prefstream.labeler.stream.IngestValidator;
import dev.prefstream.labeler.stream.LabelProcessor;
import dev.prefstream.labeler.stream.LabelerStores;
import dev.prefstream.labeler.stream.VoteDeduplicator;
import dev.prefstream.schemas.Topic;
import dev.prefstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Builds the labeler's topology, separate from the runner so tests build exactly what production
 * runs. Two sub-topologies:
 *
 * <ol>
 *   <li>ingest: {@code votes.json} -> validate -> repartition by pair id ({@code ingest-by-pair}) ->
 *       de-duplicate by vote id ({@code ingest-vote-dedup}) -> {@code votes}; refused records ->
 *       {@code dlq};
 *   <li>labelling: {@code scored} and {@code pseudo-labels} -> one processor with the
 *       {@code pair-tally} and {@code pending-pseudo-labels} stores -> {@code labels}, {@code clean},
 *       {@code conflicting}, {@code relabeled}, {@code dlq}.
 * </ol>
 *
 * Every operator and store is named, so internal topic names survive topology edits.
 */
public final class LabelerTopology {
  private LabelerTopology() {}

  public static Topology build(LabelerConfig config, Topics topics) {
    return build(config, topics, LabelerMetrics.discarding());
  }

  public static Topology build(LabelerConfig config, Topics topics, LabelerMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    LabelerDeadLetters deadLetters = new LabelerDeadLetters(topics.dlq(), metrics);
    ingest(builder, config, topics, metrics, deadLetters);
    label(builder, config, topics, metrics, deadLetters);
    return builder.build();
  }

  private static void ingest(StreamsBuilder builder, LabelerConfig config, Topics topics, LabelerMetrics metrics,
      LabelerDeadLetters deadLetters) {
    builder.addStateStore(LabelerStores.voteDedup(config.dedupRetention()));
    Topic<String, PreferenceVote> votes = topics.votes();
    builder.stream(topics.votesJson().name(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("ingest-source"))
        .process(() -> new IngestValidator(deadLetters), Named.as("ingest-validate"))
        .split(Named.as("ingest-"))
        .branch((k, e) -> e.destination() == Destination.DLQ, Branched.<byte[], Emission>withConsumer(s -> s
            .mapValues(e -> (DeadLetter) e.value(), Named.as("ingest-dead-letter"))
            .to(topics.dlq().name(), produced(topics.dlq(), "ingest-dlq-sink"))).withName("refused"))
        .defaultBranch(Branched.<byte[], Emission>withConsumer(s -> s
            .map((k, e) -> KeyValue.pair(((PreferenceVote) e.value()).getPairId(), (PreferenceVote) e.value()),
                Named.as("ingest-key-by-pair"))
            .repartition(Repartitioned.with(votes.keySerde(), votes.valueSerde()).withName("ingest-by-pair"))
            .process(() -> new VoteDeduplicator(LabelerStores.VOTE_DEDUP, config.dedupRetention(), metrics),
                Named.as("ingest-dedup"), LabelerStores.VOTE_DEDUP)
            .to(votes.name(), produced(votes, "votes-sink"))).withName("valid"));
  }

  private static void label(StreamsBuilder builder, LabelerConfig config, Topics topics, LabelerMetrics metrics,
      LabelerDeadLetters deadLetters) {
    builder.addStateStore(LabelerStores.pairs(config.pairStore()));
    builder.addStateStore(LabelerStores.pendingPseudoLabels());
    KStream<String, byte[]> scored = builder.stream(topics.scored().name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("scored-source"));
    KStream<String, byte[]> pseudo = builder.stream(topics.pseudoLabels().name(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("pseudo-labels-source"));
    KStream<String, Emission> events = scored.merge(pseudo, Named.as("label-inputs"))
        .process(() -> new LabelProcessor(config, topics.pseudoLabels().name(), metrics, deadLetters),
            Named.as("label"), LabelerStores.PAIRS, LabelerStores.PENDING_PSEUDO_LABELS);
    BranchedKStream<String, Emission> out = events.split(Named.as("events-"));
    route(out, Destination.LABELS, topics.labels());
    route(out, Destination.CLEAN, topics.clean());
    route(out, Destination.CONFLICTING, topics.conflicting());
    route(out, Destination.RELABELED, topics.relabeled());
    out.defaultBranch(Branched.<String, Emission>withConsumer(s -> s
        .map((k, e) -> KeyValue.pair(k == null ? null : k.getBytes(StandardCharsets.UTF_8),
            (DeadLetter) e.value()), Named.as("label-dead-letter"))
        .to(topics.dlq().name(), produced(topics.dlq(), "label-dlq-sink"))).withName("dlq"));
  }

  @SuppressWarnings("unchecked")
  private static <V> void route(BranchedKStream<String, Emission> out, Destination d, Topic<String, V> topic) {
    String name = d.name().toLowerCase(Locale.ROOT);
    out.branch((k, e) -> e.destination() == d, Branched.<String, Emission>withConsumer(s -> s
        .mapValues(e -> (V) e.value(), Named.as(name + "-value"))
        .to(topic.name(), produced(topic, name + "-sink"))).withName(name));
  }

  private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String name) {
    return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
  }
}
