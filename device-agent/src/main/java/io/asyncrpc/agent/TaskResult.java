package io.asyncrpc.agent;

import io.asyncrpc.agent.internal.Json;
import io.asyncrpc.protocol.StatusCodes;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * The outcome of a task as sent on {@code dev/<SN>/res}: an HTTP-like status code and a JSON
 * document.
 *
 * <p>A 2xx code makes the task {@code DONE}, a 4xx or 5xx code makes it {@code FAILED}.
 *
 * @param statusCode 2xx, 4xx or 5xx
 * @param body the result document as JSON text
 */
public record TaskResult(int statusCode, String body) {

  public TaskResult {
    if (!StatusCodes.isValidResult(statusCode)) {
      throw new IllegalArgumentException(
          "a result's status code must be 2xx, 4xx or 5xx but was " + statusCode);
    }
    Objects.requireNonNull(body, "body");
  }

  /** A {@code 200} result with the JSON document {@code json}. */
  public static TaskResult ok(String json) {
    return new TaskResult(StatusCodes.OK, json);
  }

  /** A {@code 200} result with the JSON document {@code json}. */
  public static TaskResult ok(JsonNode json) {
    return ok(Json.MAPPER.writeValueAsString(json));
  }

  /** A {@code 200} result with an empty JSON object. */
  public static TaskResult ok() {
    return ok("{}");
  }

  /** A failure result ({@code statusCode} 4xx or 5xx) with the JSON document {@code json}. */
  public static TaskResult failed(int statusCode, String json) {
    if (!StatusCodes.isFailure(statusCode)) {
      throw new IllegalArgumentException(
          "a failure's status code must be 4xx or 5xx but was " + statusCode);
    }
    return new TaskResult(statusCode, json);
  }

  /** A failure result ({@code statusCode} 4xx or 5xx) with the JSON document {@code json}. */
  public static TaskResult failed(int statusCode, JsonNode json) {
    return failed(statusCode, Json.MAPPER.writeValueAsString(json));
  }

  /** A failure result whose document is {@code {"error": message}}. */
  public static TaskResult error(int statusCode, String message) {
    return failed(statusCode, Json.MAPPER.writeValueAsString(Map.of("error", message)));
  }

  /** Whether the task ends {@code DONE} with this result. */
  public boolean isSuccess() {
    return StatusCodes.isSuccess(statusCode);
  }
}
