package io.asyncrpc.agent;

import io.asyncrpc.agent.internal.Json;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A task handed to this device by the core ({@code srv/<SN>/rsp}).
 *
 * @param id the task id, also the correlation data of every message about it
 * @param methodCode what the device is asked to do, for example {@code relay.switch}
 * @param attempt how many times the task has been handed out, including this one (1 if unknown)
 * @param payload the task's JSON payload as text ({@code null} JSON when the message was empty)
 * @param deadline when the task expires, or {@code null} when the core did not say
 * @param externalId the caller's external id, or {@code null}; echoed in the result
 */
public record Task(
    UUID id,
    String methodCode,
    int attempt,
    String payload,
    @Nullable Instant deadline,
    @Nullable String externalId) {

  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(methodCode, "methodCode");
    Objects.requireNonNull(payload, "payload");
  }

  /** The payload parsed as a JSON tree. */
  public JsonNode payloadJson() {
    return Json.MAPPER.readTree(payload);
  }

  /**
   * The payload bound to {@code type} by the JSON's own member names (annotate snake_case members
   * with {@code @JsonProperty}).
   *
   * @param type the class to bind to, for example a record
   * @param <T> the bound type
   * @return the bound payload
   */
  public <T> T payloadAs(Class<T> type) {
    return Json.MAPPER.readValue(payload, type);
  }
}
