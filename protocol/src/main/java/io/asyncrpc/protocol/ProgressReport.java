package io.asyncrpc.protocol;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A device's progress report on a task it holds, the payload of {@code dev/<SN>/prg}: {@code
 * {"percent": 40, "message": "…", "details": {…}}}, every member optional, at most {@link
 * ProtocolLimits#MAX_PROGRESS_PAYLOAD_BYTES}. Members it does not know are ignored, so a report may
 * grow.
 *
 * @param percent 0 to 100, or null
 * @param message the device's words, or null
 * @param details a JSON object of the device's own, or null
 */
public record ProgressReport(
    @Nullable Integer percent, @Nullable String message, @Nullable JsonNode details) {

  /** Lowest and highest {@code percent}. */
  public static final int MIN_PERCENT = 0;

  public static final int MAX_PERCENT = 100;

  public ProgressReport {
    if (percent != null && (percent < MIN_PERCENT || percent > MAX_PERCENT)) {
      throw new IllegalArgumentException("percent must be 0 to 100: " + percent);
    }
    if (details != null && !details.isObject()) {
      throw new IllegalArgumentException("details must be a JSON object");
    }
  }

  /**
   * The report {@code document} holds, or empty when it is not one: not an object, a {@code
   * percent} that is not an integer from 0 to 100, a {@code message} that is not a string, or
   * {@code details} that are not an object. JSON null counts as absent; a null document (an empty
   * payload) is an empty report.
   */
  public static Optional<ProgressReport> from(@Nullable JsonNode document) {
    if (document == null || document.isNull()) {
      return Optional.of(new ProgressReport(null, null, null));
    }
    if (!document.isObject()) {
      return Optional.empty();
    }
    JsonNode percent = document.path("percent");
    JsonNode message = document.path("message");
    JsonNode details = document.path("details");
    Integer p = null;
    if (present(percent)) {
      if (!percent.isIntegralNumber()
          || !percent.canConvertToInt()
          || percent.intValue() < MIN_PERCENT
          || percent.intValue() > MAX_PERCENT) {
        return Optional.empty();
      }
      p = percent.intValue();
    }
    if (present(message) && !message.isString()) {
      return Optional.empty();
    }
    if (present(details) && !details.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProgressReport(
            p, present(message) ? message.stringValue() : null, present(details) ? details : null));
  }

  /** The report as it travels: absent members are left out. */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    if (percent != null) {
      node.put("percent", percent);
    }
    if (message != null) {
      node.put("message", message);
    }
    if (details != null) {
      node.set("details", details);
    }
    return node;
  }

  private static boolean present(JsonNode node) {
    return !node.isMissingNode() && !node.isNull();
  }
}
