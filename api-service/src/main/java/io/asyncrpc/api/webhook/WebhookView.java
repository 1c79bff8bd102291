package io.asyncrpc.api.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A webhook endpoint as the API shows it.
 *
 * @param id the endpoint's id
 * @param url where deliveries are posted
 * @param eventTypes the event types it receives
 * @param description free text
 * @param enabled whether deliveries are sent; false after a {@code 410}, after failing for too
 *     long, or when a client disabled it
 * @param disabledReason why it is disabled
 * @param disabledAt when it was disabled
 * @param createdAt when it was created
 * @param updatedAt when it was last changed through the API
 * @param previousSecretExpiresAt until when the secret before the last rotation signs too
 * @param secret the signing secret: only in the answers of create and rotate-secret
 */
@Schema(name = "Webhook")
record WebhookView(
    UUID id,
    @Schema(example = "https://apps.example.com/hooks/iot") String url,
    @Schema(example = "[\"task.finished\"]") List<String> eventTypes,
    @Nullable String description,
    boolean enabled,
    @Schema(example = "the endpoint answered 410 Gone") @Nullable String disabledReason,
    @Nullable Instant disabledAt,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant previousSecretExpiresAt,
    @Schema(
            description = "whsec_ and base64 of 32 random bytes; shown once",
            example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Nullable String secret) {}
