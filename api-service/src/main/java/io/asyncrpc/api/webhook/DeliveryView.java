package io.asyncrpc.api.webhook;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One message to one endpoint, with every attempt made.
 *
 * @param id the delivery's id: the {@code webhook-id} header of each of its attempts
 * @param eventType the event's type
 * @param eventId the event's id in the tenant event log
 * @param status {@code pending} (an attempt is due or running), {@code succeeded} (a 2xx) or {@code
 *     failed} (no more attempts)
 * @param statusCode the HTTP status of the last attempt; null before the first or when it got no
 *     answer
 * @param createdAt when the event was fanned out to the endpoint
 * @param nextAttemptAt when the next attempt is due (pending only); while an attempt runs, the end
 *     of its lease
 * @param finishedAt when the delivery succeeded or failed
 * @param attempts every attempt, oldest first
 */
@Schema(name = "WebhookDelivery")
record DeliveryView(
    UUID id,
    @Schema(example = "task.finished") String eventType,
    @Schema(example = "7342-901") String eventId,
    @Schema(allowableValues = {"pending", "succeeded", "failed"}) String status,
    @Nullable Integer statusCode,
    Instant createdAt,
    @Nullable Instant nextAttemptAt,
    @Nullable Instant finishedAt,
    List<Attempt> attempts) {

  /**
   * One attempt.
   *
   * @param attempt its number, 1 for the first
   * @param at when it started
   * @param status {@code succeeded} or {@code failed}
   * @param statusCode the endpoint's HTTP status; null when there was no answer
   * @param durationMs from sending to the end of the answer, or to the failure
   * @param error why it failed, when it did
   */
  @Schema(name = "WebhookAttempt")
  record Attempt(
      int attempt,
      Instant at,
      @Schema(allowableValues = {"succeeded", "failed"}) String status,
      @Nullable Integer statusCode,
      long durationMs,
      @Nullable String error) {}
}
