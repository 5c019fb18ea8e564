package dev.prefstream.schemas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every released version of every record schema, loaded from {@code avro/released/} on the class
 * path (listed in {@code avro/released/index.txt}). A reader decodes any record whose writer schema
 * is here, so producers on an older release keep working while readers move on. Releasing a schema
 * change means adding its file: {@code ReleasedSchemasTest} fails until the current schema of every
 * topic value is released.
 */
public final class ReleasedSchemas {
  private static final String DIR = "avro/released/";
  private static final ReleasedSchemas INSTANCE = load();

  private final List<Release> releases;
  private final SchemaStore.Cache store = new SchemaStore.Cache();

  /** One released schema: its file name (Name-vN.avsc) and parsed schema. */
  public record Release(String file, Schema schema) {
    public long fingerprint() {
      return SchemaNormalization.parsingFingerprint64(schema);
    }
  }

  private ReleasedSchemas(List<Release> releases) {
    this.releases = Collections.unmodifiableList(releases);
    releases.forEach(r -> store.addSchema(r.schema()));
  }

  public static ReleasedSchemas get() {
    return INSTANCE;
  }

  /** The store a {@code BinaryMessageDecoder} uses to find a writer schema by fingerprint. */
  public SchemaStore store() {
    return store;
  }

  public List<Release> releases() {
    return releases;
  }

  public boolean isReleased(Schema schema) {
    return store.findByFingerprint(SchemaNormalization.parsingFingerprint64(schema)) != null;
  }

  private static ReleasedSchemas load() {
    ClassLoader loader = ReleasedSchemas.class.getClassLoader();
    List<Release> out = new ArrayList<>();
    try (InputStream index = loader.getResourceAsStream(DIR + "index.txt")) {
      if (index == null) {
        throw new IllegalStateException("missing class-path resource " + DIR + "index.txt");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8));
      for (String line; (line = lines.readLine()) != null; ) {
        String file = line.strip();
        if (file.isEmpty() || file.startsWith("#")) {
          continue;
        }
        try (InputStream in = loader.getResourceAsStream(DIR + file)) {
          if (in == null) {
            throw new IllegalStateException("index lists " + file + " but it is not on the class path");
          }
          out.add(new Release(file, new Schema.Parser().parse(in)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ReleasedSchemas(out);
  }
}
