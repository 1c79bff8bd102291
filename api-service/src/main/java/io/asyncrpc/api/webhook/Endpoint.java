package io.asyncrpc.api.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A webhook endpoint as stored.
 *
 * @param id its id
 * @param tenant the tenant whose events it receives
 * @param url where deliveries are posted
 * @param description free text of the tenant's
 * @param eventTypes the event types it receives, by wire name
 * @param enabled whether deliveries are sent to it
 * @param secret the signing secret
 * @param previousSecret the secret before the last rotation, while it still signs
 * @param previousExpiresAt when the previous secret stops signing
 * @param createdAt when it was created
 * @param updatedAt when it was last changed through the API
 * @param disabledReason why it is disabled, when it is
 * @param disabledAt when it was disabled
 */
record Endpoint(
    UUID id,
    String tenant,
    String url,
    @Nullable String description,
    List<String> eventTypes,
    boolean enabled,
    String secret,
    @Nullable String previousSecret,
    @Nullable Instant previousExpiresAt,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String disabledReason,
    @Nullable Instant disabledAt) {

  /**
   * The secrets that sign at {@code now}: the current one, and the previous one until it expires.
   */
  List<String> signingSecrets(Instant now) {
    List<String> secrets = new ArrayList<>(2);
    secrets.add(secret);
    if (previousSecret != null && previousExpiresAt != null && now.isBefore(previousExpiresAt)) {
      secrets.add(previousSecret);
    }
    return secrets;
  }

  WebhookView view(@Nullable String shownSecret) {
    return new WebhookView(
        id,
        url,
        eventTypes,
        description,
        enabled,
        disabledReason,
        disabledAt,
        createdAt,
        updatedAt,
        previousSecret == null ? null : previousExpiresAt,
        shownSecret);
  }
}
