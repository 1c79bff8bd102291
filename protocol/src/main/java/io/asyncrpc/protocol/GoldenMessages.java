package io.asyncrpc.protocol;

import io.asyncrpc.protocol.WireMessage.UserProperty;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The golden messages ({@code /golden/*.json} in this module): one MQTT 5 message each, as it
 * travels. The one loader of them for every Java suite; the C suite reads the same files.
 */
public final class GoldenMessages {

  /**
   * Every golden message file, in order: 01 to 12 are v1, 13 to 17 v2, 18 to 20 device events, 21
   * and 22 progress reports (both versions), 23 to 25 the cancel of a held task and its answers
   * (v2).
   */
  public static final List<String> FILES =
      List.of(
          "01-trigger.json",
          "02-ack.json",
          "03-request-by-id.json",
          "04-request-head-of-fifo.json",
          "05-response.json",
          "06-response-no-task.json",
          "07-result-ok.json",
          "08-result-failed.json",
          "09-result-correlation-fallback.json",
          "10-result-raw-correlation.json",
          "11-commit.json",
          "12-error-unknown-task.json",
          "13-request-v2.json",
          "14-push-v2.json",
          "15-result-v2.json",
          "16-commit-v2-next.json",
          "17-commit-v2-idle.json",
          "18-event.json",
          "19-event-answer.json",
          "20-event-answer-error.json",
          "21-progress.json",
          "22-error-invalid-progress.json",
          "23-cancel-v2.json",
          "24-cancel-answer-stopped.json",
          "25-cancel-answer-finished.json");

  private static final ProtocolJson JSON = new ProtocolJson();

  /**
   * One golden message.
   *
   * @param file its file name
   * @param description what it shows
   * @param message the message; its payload is the golden JSON written compactly
   * @param payload the payload as JSON, or {@code null} for an empty payload
   */
  public record Golden(
      String file, String description, WireMessage message, @Nullable JsonNode payload) {}

  private GoldenMessages() {}

  /** Loads the golden message {@code file}, for example {@code 05-response.json}. */
  public static Golden load(String file) {
    try (InputStream in = GoldenMessages.class.getResourceAsStream("/golden/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden message " + file);
      }
      JsonNode json = JSON.read(in.readAllBytes());
      byte[] correlation = null;
      if (json.path("correlation_data").isString()) {
        correlation = json.path("correlation_data").asString().getBytes(StandardCharsets.US_ASCII);
      } else if (json.path("correlation_data_hex").isString()) {
        correlation = HexFormat.of().parseHex(json.path("correlation_data_hex").asString());
      }
      List<UserProperty> properties = new ArrayList<>();
      json.path("user_properties")
          .properties()
          .forEach(e -> properties.add(new UserProperty(e.getKey(), e.getValue().asString())));
      JsonNode payload = json.path("payload").isNull() ? null : json.path("payload");
      byte[] bytes = payload == null ? new byte[0] : JSON.write(payload);
      WireMessage message =
          WireMessage.of(json.path("topic").asString(), correlation, properties, bytes);
      return new Golden(file, json.path("description").asString(""), message, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
