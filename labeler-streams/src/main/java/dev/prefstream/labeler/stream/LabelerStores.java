package dev.prefstream.labeler.stream;

import dev.prefstream.avro.DeadLetter;
import dev.prefstream.labeler.LabelerConfig.PairStore;
import dev.prefstream.labeler.state.PairState;
import dev.prefstream.labeler.state.PairStateSerde;
import dev.prefstream.schemas.AvroSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The labeler's named state stores, all changelogged; the pair store in RocksDB unless
 * {@code labeler.pair-store} says in memory. The pair store is not cached: most
 * pairs get a handful of votes spread over minutes, so a record cache rarely saves a changelog write,
 * while its sorted index cost ~20% of the stream thread (labeler-streams/README.md, benchmark).
 */
public final class LabelerStores {

  /** Pair id to {@link PairState}: the human tally, latest scores and last emitted decisions. */
  public static final String PAIRS = "pair-tally";
  /**
   * Pair id to a pseudo-label that arrived before any vote of its pair, held as the dead letter it
   * becomes if no vote comes in time ({@code labeler.pseudo-label-wait}).
   */
  public static final String PENDING_PSEUDO_LABELS = "pending-pseudo-labels";
  /** Vote id to first-seen time, for the ingest de-duplication. */
  public static final String VOTE_DEDUP = "ingest-vote-dedup";

  private LabelerStores() {}

  /** The pair store: in RocksDB on disk, or in memory ({@code labeler.pair-store}); changelogged either way. */
  public static StoreBuilder<KeyValueStore<String, PairState>> pairs(PairStore kind) {
    return Stores.keyValueStoreBuilder(kind == PairStore.IN_MEMORY ? Stores.inMemoryKeyValueStore(PAIRS)
            : Stores.persistentKeyValueStore(PAIRS), Serdes.String(), new PairStateSerde())
        .withCachingDisabled();
  }

  public static StoreBuilder<KeyValueStore<String, DeadLetter>> pendingPseudoLabels() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_PSEUDO_LABELS), Serdes.String(),
        AvroSerde.of(DeadLetter.class)).withCachingDisabled();
  }

  public static StoreBuilder<WindowStore<String, Long>> voteDedup(Duration retention) {
    return Stores.windowStoreBuilder(Stores.persistentWindowStore(VOTE_DEDUP, retention, retention, false),
        Serdes.String(), Serdes.Long()).withCachingEnabled();
  }
}
