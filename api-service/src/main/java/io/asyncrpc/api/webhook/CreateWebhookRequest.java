package io.asyncrpc.api.webhook;

import io.asyncrpc.api.web.StorableText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Creates a webhook endpoint.
 *
 * @param url where deliveries are posted: http or https, a host with public addresses only
 * @param eventTypes the event types to receive: task.finished, task.progress, device.event,
 *     device.presence, job.progress, job.finished
 * @param description free text
 */
@Schema(name = "CreateWebhook")
record CreateWebhookRequest(
    @Schema(
            example = "https://apps.example.com/hooks/iot",
            requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required")
        @Size(max = TargetPolicy.MAX_URL_LENGTH, message = "must be at most 2000 characters")
        String url,
    @Schema(
            example = "[\"task.finished\", \"device.event\"]",
            requiredMode = Schema.RequiredMode.REQUIRED)
        @NotNull(message = "is required")
        @Size(min = 1, max = 16, message = "must name 1 to 4 event types")
        List<String> eventTypes,
    @Schema(example = "Billing app", maxLength = 500)
        @Size(max = 500, message = "must be at most 500 characters")
        @StorableText
        @Nullable String description) {}
