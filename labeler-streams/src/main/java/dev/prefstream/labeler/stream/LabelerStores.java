package dev.prefstream.labeler.stream;

import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.PairStateSerde;
import dev.prefstream.labeler.state.ReliabilitySerde;
import dev.prefstream.labeler.voting.Reliability;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The labeler's named state stores: persistent and changelogged. The pair store is not cached: most
 * pairs get a handful of votes spread over minutes, so a record cache rarely saves a changelog write,
 * while its sorted index cost ~20% of the stream thread (labeler-streams/README.md, benchmark).
 */
public final class LabelerStores {
  /** Pair id to {@link PairState}: the human tally, latest scores and last emitted decisions. */
  public static final String PAIRS = "pair-tally";
  /** Scorer name to its agreement counts with human labels, per task. */
  public static final String RELIABILITY = "scorer-reliability";
  /** Vote id to first-seen time, for the ingest de-duplication. */
  public static final String VOTE_DEDUP = "ingest-vote-dedup";

  private LabelerStores() {}

  public static StoreBuilder<KeyValueStore<String, PairState>> pairs() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PAIRS), Serdes.String(), new PairStateSerde())
        .withCachingDisabled();
  }

  public static StoreBuilder<KeyValueStore<String, Reliability>> reliability() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RELIABILITY), Serdes.String(),
        new ReliabilitySerde()).withCachingEnabled();
  }

  public static StoreBuilder<WindowStore<String, Long>> voteDedup(Duration retention) {
    return Stores.windowStoreBuilder(Stores.persistentWindowStore(VOTE_DEDUP, retention, retention, false),
        Serdes.String(), Serdes.Long()).withCachingEnabled();
  }
}
