package dev.prefstream.labeler.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * RocksDB settings for the labeler's stores, whose lookups mostly miss: the first vote of a pair and
 * every new vote id look up a key that is not there. Kafka Streams' defaults drop the bloom filters
 * of the last level ({@code optimize_filters_for_hits}), which suits stores whose lookups mostly hit;
 * with them a miss reads index and data blocks. Here every level keeps its filter, and the memtable
 * gets a whole-key bloom filter too, so a miss is answered from filters (decision 0008).
 */
public final class LookupTunedRocksDb implements RocksDBConfigSetter {
  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    options.setOptimizeFiltersForHits(false);
    options.setMemtableWholeKeyFiltering(true);
    options.setMemtablePrefixBloomSizeRatio(0.05);
  }

  @Override
  public void close(String storeName, Options options) {
    // nothing allocated here: the table config and its filter belong to Kafka Streams
  }
}
