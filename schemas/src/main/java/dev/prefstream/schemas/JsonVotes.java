package dev.prefstream.schemas;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prefstream.avro.Choice;
import dev.prefstream.avro.ImageRef;
import dev.prefstream.avro.PreferenceVote;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON form of a vote accepted on {@code prefs.votes.json} (DESIGN.md), with a strict validator:
 * every problem yields a precise message naming the field, and all problems of a record are reported
 * together. A valid record becomes a {@link PreferenceVote} with its pair id.
 */
public final class JsonVotes {
  public static final int MAX_PROMPT_CHARS = 2000;
  public static final int MAX_ID_CHARS = 200;
  public static final int MAX_RECORD_BYTES = 1 << 20;

  private static final Set<String> TOP = Set.of("voteId", "prompt", "imageA", "imageB", "choice", "userId",
      "timestamp", "source", "attributes");
  private static final Set<String> REQUIRED = Set.of("voteId", "prompt", "imageA", "imageB", "choice");
  private static final Set<String> IMAGE = Set.of("uri", "sha256", "bytes");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonVotes() {}

  /** Either a vote or the list of reasons it was refused. */
  public record Result(PreferenceVote vote, List<String> errors) {
    public boolean valid() {
      return vote != null;
    }

    public String errorMessage() {
      return String.join("; ", errors);
    }
  }

  /**
   * Parses and validates one record value. {@code recordTimestamp} is used when the JSON has no
   * timestamp.
   */
  public static Result parse(byte[] value, long recordTimestamp) {
    if (value == null) {
      return refuse("empty record: a vote JSON object is required");
    }
    if (value.length > MAX_RECORD_BYTES) {
      return refuse("record of " + value.length + " bytes exceeds " + MAX_RECORD_BYTES);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return refuse("not UTF-8 text");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return refuse("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return refuse("invalid JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      return refuse("empty record: a vote JSON object is required");
    }
    if (!root.isObject()) {
      return refuse("expected a JSON object, got " + kind(root));
    }
    return validate((ObjectNode) root, recordTimestamp);
  }

  private static Result validate(ObjectNode root, long recordTimestamp) {
    List<String> errors = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!TOP.contains(f)) {
        errors.add("unknown field '" + f + "'");
      }
    }
    for (String f : REQUIRED) {
      if (!root.has(f) || root.get(f).isNull()) {
        errors.add("missing field '" + f + "'");
      }
    }
    String voteId = text(root, "voteId", MAX_ID_CHARS, errors);
    String prompt = text(root, "prompt", MAX_PROMPT_CHARS, errors);
    ImageRef a = image(root, "imageA", errors);
    ImageRef b = image(root, "imageB", errors);
    Choice choice = null;
    if (root.hasNonNull("choice")) {
      JsonNode c = root.get("choice");
      if (!c.isTextual()) {
        errors.add("field 'choice' must be a string (\"A\", \"B\" or \"TIE\"), got " + kind(c));
      } else {
        try {
          choice = Choice.valueOf(c.textValue());
        } catch (IllegalArgumentException e) {
          errors.add("field 'choice' must be \"A\", \"B\" or \"TIE\", got \"" + c.textValue() + "\"");
        }
      }
    }
    String userId = optionalText(root, "userId", MAX_ID_CHARS, errors);
    String source = optionalText(root, "source", MAX_ID_CHARS, errors);
    long timestamp = recordTimestamp;
    if (root.hasNonNull("timestamp")) {
      JsonNode t = root.get("timestamp");
      if (!t.isIntegralNumber() || !t.canConvertToLong() || t.longValue() < 0) {
        errors.add("field 'timestamp' must be a non-negative integer (epoch milliseconds), got " + kind(t));
      } else {
        timestamp = t.longValue();
      }
    }
    Map<String, String> attributes = Map.of();
    if (root.hasNonNull("attributes")) {
      JsonNode at = root.get("attributes");
      if (!at.isObject()) {
        errors.add("field 'attributes' must be an object of strings, got " + kind(at));
      } else {
        attributes = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = at.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().isTextual()) {
            errors.add("attribute '" + e.getKey() + "' must be a string, got " + kind(e.getValue()));
          } else {
            attributes.put(e.getKey(), e.getValue().textValue());
          }
        }
      }
    }
    if (a != null && b != null && a.getSha256().equals(b.getSha256())) {
      errors.add("imageA and imageB are the same image (sha256 " + a.getSha256() + ")");
    }
    if (!errors.isEmpty()) {
      return new Result(null, List.copyOf(errors));
    }
    PreferenceVote vote = PreferenceVote.newBuilder()
        .setVoteId(voteId)
        .setPairId(PairIds.pairId(prompt, a.getSha256(), b.getSha256()))
        .setPrompt(prompt)
        .setImageA(a)
        .setImageB(b)
        .setChoice(choice)
        .setUserId(userId)
        .setTimestamp(java.time.Instant.ofEpochMilli(timestamp))
        .setSource(source == null ? "json" : source)
        .setAttributes(Map.copyOf(attributes))
        .build();
    return new Result(vote, List.of());
  }

  private static ImageRef image(ObjectNode root, String field, List<String> errors) {
    if (!root.hasNonNull(field)) {
      return null;
    }
    JsonNode n = root.get(field);
    if (!n.isObject()) {
      errors.add("field '" + field + "' must be an object {uri, sha256}, got " + kind(n));
      return null;
    }
    int before = errors.size();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!IMAGE.contains(f)) {
        errors.add("unknown field '" + field + "." + f + "'");
      }
    }
    String uri = text((ObjectNode) n, "uri", 4096, errors, field + ".");
    String sha = text((ObjectNode) n, "sha256", 64, errors, field + ".");
    if (sha != null && !SHA256.matcher(sha).matches()) {
      errors.add("field '" + field + ".sha256' must be 64 lower-case hex characters");
    }
    ByteBuffer bytes = null;
    if (n.hasNonNull("bytes")) {
      JsonNode bn = n.get("bytes");
      if (!bn.isTextual()) {
        errors.add("field '" + field + ".bytes' must be base64 text, got " + kind(bn));
      } else {
        try {
          bytes = ByteBuffer.wrap(Base64.getDecoder().decode(bn.textValue()));
        } catch (IllegalArgumentException e) {
          errors.add("field '" + field + ".bytes' is not valid base64");
        }
      }
    }
    if (uri != null && uri.startsWith("inline:") != n.hasNonNull("bytes")) {
      errors.add("field '" + field + "': an inline: uri and 'bytes' go together");
    }
    if (errors.size() > before || uri == null || sha == null) {
      return null;
    }
    return ImageRef.newBuilder().setUri(uri).setSha256(sha).setBytes(bytes).build();
  }

  private static String text(ObjectNode root, String field, int max, List<String> errors) {
    return text(root, field, max, errors, "");
  }

  private static String text(ObjectNode root, String field, int max, List<String> errors, String path) {
    if (!root.hasNonNull(field)) {
      if (!path.isEmpty()) {
        errors.add("missing field '" + path + field + "'");
      }
      return null;
    }
    JsonNode n = root.get(field);
    if (!n.isTextual()) {
      errors.add("field '" + path + field + "' must be a string, got " + kind(n));
      return null;
    }
    String s = n.textValue();
    if (s.isBlank()) {
      errors.add("field '" + path + field + "' must not be empty");
      return null;
    }
    if (s.length() > max) {
      errors.add("field '" + path + field + "' is " + s.length() + " characters, more than the " + max + " allowed");
      return null;
    }
    return s;
  }

  private static String optionalText(ObjectNode root, String field, int max, List<String> errors) {
    return root.hasNonNull(field) ? text(root, field, max, errors) : null;
  }

  private static Result refuse(String reason) {
    return new Result(null, List.of(reason));
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> n.isIntegralNumber() ? "an integer" : "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The JSON form of a vote, for clients and tests (the inverse of {@link #parse}). */
  public static String toJson(PreferenceVote v) {
    ObjectNode o = JSON.createObjectNode();
    o.put("voteId", v.getVoteId());
    o.put("prompt", v.getPrompt());
    o.set("imageA", imageJson(v.getImageA()));
    o.set("imageB", imageJson(v.getImageB()));
    o.put("choice", v.getChoice().name());
    if (v.getUserId() != null) {
      o.put("userId", v.getUserId());
    }
    o.put("timestamp", v.getTimestamp().toEpochMilli());
    o.put("source", v.getSource());
    if (!v.getAttributes().isEmpty()) {
      ObjectNode at = o.putObject("attributes");
      v.getAttributes().forEach(at::put);
    }
    return o.toString();
  }

  private static ObjectNode imageJson(ImageRef r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("uri", r.getUri());
    o.put("sha256", r.getSha256());
    if (r.getBytes() != null) {
      ByteBuffer b = r.getBytes().duplicate();
      byte[] raw = new byte[b.remaining()];
      b.get(raw);
      o.put("bytes", Base64.getEncoder().encodeToString(raw));
    }
    return o;
  }
}
