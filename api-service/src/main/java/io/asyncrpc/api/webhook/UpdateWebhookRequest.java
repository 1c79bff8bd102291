package io.asyncrpc.api.webhook;

import io.asyncrpc.api.web.StorableText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Changes a webhook endpoint: each field given replaces the stored one, an absent or null field
 * keeps it.
 *
 * @param url a new URL (checked as on create)
 * @param eventTypes new event types
 * @param enabled false disables the endpoint; true enables it again and forgets its failures
 * @param description a new description; an empty one clears it
 */
@Schema(name = "UpdateWebhook")
record UpdateWebhookRequest(
    @Size(max = TargetPolicy.MAX_URL_LENGTH, message = "must be at most 2000 characters")
        @Nullable String url,
    @Size(min = 1, max = 16, message = "must name 1 to 4 event types")
        @Nullable List<String> eventTypes,
    @Nullable Boolean enabled,
    @Size(max = 500, message = "must be at most 500 characters") @StorableText
        @Nullable String description) {}
