package io.asyncrpc.api.task;

import io.asyncrpc.api.web.StorableJson;
import io.asyncrpc.protocol.ProtocolLimits;
import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A create request that passed every check that needs no database, with its defaults applied.
 *
 * @param deviceId the device
 * @param methodCode what the device is asked to do
 * @param priority 0..9
 * @param ttl seconds until the deadline
 * @param payload the payload as parsed
 * @param payloadJson the payload as it is stored and sent, at most the protocol's limit
 * @param externalId the caller's reference
 * @param onlineOnly never waits for an offline device
 */
record NewTask(
    String deviceId,
    String methodCode,
    int priority,
    long ttl,
    JsonNode payload,
    String payloadJson,
    @Nullable String externalId,
    boolean onlineOnly) {

  /**
   * Applies defaults; a payload over {@link ProtocolLimits#MAX_PAYLOAD_BYTES}, or one {@code jsonb}
   * cannot store as it is, is refused.
   */
  static NewTask of(CreateTaskRequest request, JsonMapper json) {
    JsonNode payload =
        request.payload() == null || request.payload().isNull()
            ? JsonNodeFactory.instance.objectNode()
            : request.payload();
    StorableJson.problem(payload)
        .ifPresent(
            message -> {
              throw new ApiException(
                  HttpStatus.BAD_REQUEST,
                  "validation-failed",
                  "Validation failed",
                  "invalid request: 'payload' " + message,
                  List.of(new FieldProblem("payload", message)));
            });
    String payloadJson = json.writeValueAsString(payload);
    int size = payloadJson.getBytes(StandardCharsets.UTF_8).length;
    if (size > ProtocolLimits.MAX_PAYLOAD_BYTES) {
      throw new PayloadTooLargeException(size);
    }
    return new NewTask(
        request.deviceId(),
        request.methodCode(),
        request.priority() == null ? CreateTaskRequest.DEFAULT_PRIORITY : request.priority(),
        request.ttl() == null ? CreateTaskRequest.DEFAULT_TTL : request.ttl(),
        payload,
        payloadJson,
        request.externalId(),
        Boolean.TRUE.equals(request.onlineOnly()));
  }

  /**
   * Whether {@code task} was created from an equal request, i.e. this is a retry of the same call.
   * The ttl is recovered from the stored deadline, which is exactly created_at + ttl.
   */
  boolean matches(TaskView task) {
    return deviceId.equals(task.deviceId())
        && methodCode.equals(task.methodCode())
        && priority == task.priority()
        && ttl == Duration.between(task.createdAt(), task.deadlineAt()).toSeconds()
        && Objects.equals(externalId, task.externalId())
        && onlineOnly == task.onlineOnly()
        && payload.equals(task.payload());
  }
}
