package io.asyncrpc.core.southbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.protocol.ProtocolJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Tests for {@link ResultDocument}. */
class ResultDocumentTests {

  private final ProtocolJson json = new ProtocolJson();

  @Test
  void anEmptyOrBlankPayloadIsNoDocument() {
    assertThat(parse("")).contains(ResultDocument.NONE);
    assertThat(parse(" \r\n")).contains(ResultDocument.NONE);
  }

  @Test
  void anyOneJsonValueIsADocument() {
    assertThat(parse("{\"relay\": 2}")).contains(new ResultDocument("{\"relay\": 2}"));
    assertThat(parse("[1, 2]")).isPresent();
    assertThat(parse("42")).isPresent();
    assertThat(parse("null")).contains(new ResultDocument("null"));
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(parse("{not json")).isEmpty();
    assertThat(parse("{} {}")).isEmpty();
    assertThat(parse("{\"a\": \"\\u0000\"}")).isEmpty();
    assertThat(ResultDocument.parse(new byte[] {'"', (byte) 0xC3, '"'}, json)).isEmpty();
  }

  @Test
  void jsonThatJsonbCannotStoreIsRefused() {
    assertThat(parse("\"\\ud800\"")).isEmpty();
    assertThat(parse("{\"\\udc00\": 1}")).isEmpty();
    assertThat(parse("{\"k\\u0000\": 1}")).isEmpty();
    assertThat(parse("[1e200000]")).isEmpty();
    assertThat(parse("[1e1000]")).as("read back as 1001 digits").isEmpty();
    assertThat(parse("1.5e-16383")).isEmpty();
  }

  @Test
  void exactNumbersAndEscapedBackslashesAreKept() {
    assertThat(parse("1e400")).contains(new ResultDocument("1e400"));
    assertThat(parse("\"\\\\u0000\"")).as("a backslash, then the text u0000").isPresent();
    assertThat(parse("\"\\ud83d\\ude00\"")).as("a surrogate pair").isPresent();
  }

  private java.util.Optional<ResultDocument> parse(String body) {
    return ResultDocument.parse(body.getBytes(StandardCharsets.UTF_8), json);
  }
}
