package io.asyncrpc.api.webhook;

import io.asyncrpc.api.event.EventType;
import io.asyncrpc.api.security.CurrentCaller;
import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The webhook API's work, always within the caller's tenant; another tenant's ids are unknown. */
@Service
class WebhookManagement {

  private static final String KNOWN_TYPES =
      Arrays.stream(EventType.values()).map(EventType::wireName).collect(Collectors.joining(", "));

  private final WebhookStore endpoints;
  private final DeliveryStore deliveries;
  private final CurrentCaller caller;
  private final TargetPolicy targets;
  private final WebhookProperties properties;

  WebhookManagement(
      WebhookStore endpoints,
      DeliveryStore deliveries,
      CurrentCaller caller,
      TargetPolicy targets,
      WebhookProperties properties) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.caller = caller;
    this.targets = targets;
    this.properties = properties;
  }

  /** Creates an endpoint; the answer is the only one that shows its secret. */
  @Transactional
  WebhookView create(CreateWebhookRequest request) {
    String url = checkedUrl(request.url());
    List<String> types = checkedTypes(request.eventTypes());
    Instant now = now();
    String secret = WebhookSignature.newSecret();
    Endpoint endpoint =
        new Endpoint(
            UUID.randomUUID(),
            caller.get().tenant(),
            url,
            blankToNull(request.description()),
            types,
            true,
            secret,
            null,
            null,
            now,
            now,
            null,
            null);
    if (!endpoints.insert(endpoint, properties.maxEndpointsPerTenant())) {
      throw new WebhookLimitException(properties.maxEndpointsPerTenant());
    }
    return endpoint.view(secret);
  }

  WebhookView get(UUID id) {
    return find(id).view(null);
  }

  PageView<WebhookView> page(@Nullable Cursor cursor, int limit) {
    List<Endpoint> rows = endpoints.page(caller.get().tenant(), cursor, limit + 1);
    List<WebhookView> items = rows.stream().limit(limit).map(e -> e.view(null)).toList();
    String next = null;
    if (rows.size() > limit) {
      WebhookView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id().toString()).encode();
    }
    return new PageView<>(items, next);
  }

  @Transactional
  WebhookView update(UUID id, UpdateWebhookRequest request) {
    Endpoint current = find(id);
    String url = request.url() == null ? current.url() : checkedUrl(request.url());
    List<String> types =
        request.eventTypes() == null ? current.eventTypes() : checkedTypes(request.eventTypes());
    String description =
        request.description() == null ? current.description() : blankToNull(request.description());
    boolean enabled = request.enabled() == null ? current.enabled() : request.enabled();
    String reason = current.disabledReason();
    Instant disabledAt = current.disabledAt();
    Instant now = now();
    if (enabled && !current.enabled()) {
      reason = null;
      disabledAt = null;
    } else if (!enabled && current.enabled()) {
      reason = "disabled by " + caller.get().clientId() + " through the API";
      disabledAt = now;
    }
    Endpoint changed =
        new Endpoint(
            current.id(),
            current.tenant(),
            url,
            description,
            types,
            enabled,
            current.secret(),
            current.previousSecret(),
            current.previousExpiresAt(),
            current.createdAt(),
            now,
            reason,
            disabledAt);
    if (!endpoints.update(changed)) {
      throw new WebhookNotFoundException(id.toString());
    }
    return find(id).view(null);
  }

  void delete(UUID id) {
    if (!endpoints.delete(id, caller.get().tenant())) {
      throw new WebhookNotFoundException(id.toString());
    }
  }

  /** A new secret; the old one keeps signing for {@code iot.webhooks.secret-overlap}. */
  WebhookView rotateSecret(UUID id) {
    String secret = WebhookSignature.newSecret();
    return endpoints
        .rotate(id, caller.get().tenant(), secret, properties.secretOverlap())
        .orElseThrow(() -> new WebhookNotFoundException(id.toString()))
        .view(secret);
  }

  PageView<DeliveryView> deliveries(UUID id, @Nullable Cursor cursor, int limit) {
    Endpoint endpoint = find(id);
    List<DeliveryView> rows = deliveries.page(endpoint.id(), cursor, limit + 1);
    List<DeliveryView> items = rows.stream().limit(limit).toList();
    String next = null;
    if (rows.size() > limit) {
      DeliveryView last = items.getLast();
      next = new Cursor(last.createdAt(), last.id().toString()).encode();
    }
    return new PageView<>(items, next);
  }

  DeliveryView retry(UUID id, UUID deliveryId) {
    Endpoint endpoint = find(id);
    if (!endpoint.enabled()) {
      throw new WebhookDisabledException(id.toString());
    }
    if (!deliveries.retryNow(endpoint.id(), deliveryId)) {
      throw new DeliveryNotFoundException(deliveryId.toString());
    }
    return deliveries
        .find(endpoint.id(), deliveryId)
        .orElseThrow(() -> new DeliveryNotFoundException(deliveryId.toString()));
  }

  private Endpoint find(UUID id) {
    return endpoints
        .find(id, caller.get().tenant())
        .orElseThrow(() -> new WebhookNotFoundException(id.toString()));
  }

  private String checkedUrl(String url) {
    targets
        .problem(url)
        .ifPresent(
            problem -> {
              throw new InvalidWebhookException("url", problem);
            });
    return url;
  }

  /** Known names only, each once, in the order {@link EventType} lists them. */
  private static List<String> checkedTypes(List<String> names) {
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : names) {
      if (name == null
          || Arrays.stream(EventType.values()).noneMatch(t -> t.wireName().equals(name))) {
        throw new InvalidWebhookException(
            "event_types",
            "has an unknown event type '"
                + (name == null || name.length() <= 40 ? name : name.substring(0, 40) + "...")
                + "'; known: "
                + KNOWN_TYPES);
      }
      wanted.add(name);
    }
    return Arrays.stream(EventType.values())
        .map(EventType::wireName)
        .filter(wanted::contains)
        .toList();
  }

  private static @Nullable String blankToNull(@Nullable String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
