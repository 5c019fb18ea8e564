package dev.prefstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prefstream.avro.Choice;
import dev.prefstream.avro.PreferenceVote;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonVotesTest {
  private static final String A = "{\"uri\":\"file:images/a.png\",\"sha256\":\"" + SchemaFixtures.SHA_A + "\"}";
  private static final String B = "{\"uri\":\"file:images/b.png\",\"sha256\":\"" + SchemaFixtures.SHA_B + "\"}";

  private static JsonVotes.Result parse(String json) {
    return JsonVotes.parse(json.getBytes(StandardCharsets.UTF_8), 42L);
  }

  @Test
  void acceptsTheDocumentedForm() {
    JsonVotes.Result r = parse("{\"voteId\":\"v1\",\"prompt\":\"a red apple on a table\",\"imageA\":" + A
        + ",\"imageB\":" + B + ",\"choice\":\"A\",\"userId\":\"u-123\",\"timestamp\":1795000000000,\"source\":\"web\"}");
    assertTrue(r.valid(), r.errors().toString());
    PreferenceVote v = r.vote();
    assertEquals(Choice.A, v.getChoice());
    assertEquals(1_795_000_000_000L, v.getTimestamp().toEpochMilli());
    assertEquals(PairIds.pairId(v), v.getPairId());
    assertEquals("web", v.getSource());
  }

  @Test
  void timestampDefaultsToRecordTime() {
    JsonVotes.Result r = parse("{\"voteId\":\"v1\",\"prompt\":\"p\",\"imageA\":" + A + ",\"imageB\":" + B + ",\"choice\":\"TIE\"}");
    assertTrue(r.valid(), r.errors().toString());
    assertEquals(42L, r.vote().getTimestamp().toEpochMilli());
  }

  @Test
  void roundTripsThroughToJson() {
    PreferenceVote v = SchemaFixtures.vote("v-7", Choice.B);
    JsonVotes.Result r = parse(JsonVotes.toJson(v));
    assertTrue(r.valid(), r.errors().toString());
    assertEquals(v, r.vote());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown field | {\"voteId\":\"v\",\"prompt\":\"p\",\"imageA\":IMA,\"imageB\":IMB,\"choice\":\"A\",\"color\":1} | unknown field 'color'",
      "missing field | {\"voteId\":\"v\",\"imageA\":IMA,\"imageB\":IMB,\"choice\":\"A\"} | missing field 'prompt'",
      "wrong type | {\"voteId\":\"v\",\"prompt\":7,\"imageA\":IMA,\"imageB\":IMB,\"choice\":\"A\"} | field 'prompt' must be a string, got an integer",
      "empty prompt | {\"voteId\":\"v\",\"prompt\":\"  \",\"imageA\":IMA,\"imageB\":IMB,\"choice\":\"A\"} | field 'prompt' must not be empty",
      "identical images | {\"voteId\":\"v\",\"prompt\":\"p\",\"imageA\":IMA,\"imageB\":IMA,\"choice\":\"A\"} | imageA and imageB are the same image",
      "bad choice | {\"voteId\":\"v\",\"prompt\":\"p\",\"imageA\":IMA,\"imageB\":IMB,\"choice\":\"C\"} | field 'choice' must be \"A\", \"B\" or \"TIE\", got \"C\"",
      "bad digest | {\"voteId\":\"v\",\"prompt\":\"p\",\"imageA\":{\"uri\":\"file:x\",\"sha256\":\"XYZ\"},\"imageB\":IMB,\"choice\":\"A\"} | field 'imageA.sha256' must be 64 lower-case hex characters",
      "negative timestamp | {\"voteId\":\"v\",\"prompt\":\"p\",\"imageA\":IMA,\"imageB\":IMB,\"choice\":\"A\",\"timestamp\":-5} | field 'timestamp' must be a non-negative integer",
      "not an object | [1,2] | expected a JSON object, got an array",
      "not json | {voteId: | invalid JSON",
      "trailing | {\"voteId\":\"v\"} {} | invalid JSON",
      "duplicate key | {\"voteId\":\"v\",\"voteId\":\"w\"} | invalid JSON",
  })
  void refusesWithAPreciseMessage(String name, String json, String expected) {
    JsonVotes.Result r = parse(json.replace("IMA", A).replace("IMB", B));
    assertFalse(r.valid(), name);
    assertTrue(r.errorMessage().contains(expected), name + ": " + r.errorMessage());
  }

  @Test
  void oversizePromptIsRefused() {
    String p = "x".repeat(JsonVotes.MAX_PROMPT_CHARS + 1);
    JsonVotes.Result r = parse("{\"voteId\":\"v\",\"prompt\":\"" + p + "\",\"imageA\":" + A + ",\"imageB\":" + B + ",\"choice\":\"A\"}");
    assertTrue(r.errorMessage().contains("more than the " + JsonVotes.MAX_PROMPT_CHARS + " allowed"), r.errorMessage());
  }

  @Test
  void invalidUtf8IsRefused() {
    JsonVotes.Result r = JsonVotes.parse(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, 0);
    assertEquals("not UTF-8 text", r.errorMessage());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    JsonVotes.Result r = parse("{\"prompt\":\"\",\"choice\":\"Z\",\"extra\":true}");
    assertTrue(r.errors().size() >= 5, r.errors().toString());
  }
}
