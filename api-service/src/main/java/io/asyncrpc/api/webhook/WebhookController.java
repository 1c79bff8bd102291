package io.asyncrpc.api.webhook;

import io.asyncrpc.api.web.Cursor;
import io.asyncrpc.api.web.PageView;
import io.asyncrpc.api.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST resource of a tenant's webhook endpoints and their deliveries (docs/webhooks.md). */
@RestController
@RequestMapping(path = "/api/v1/webhooks", produces = "application/json")
@Tag(
    name = "Webhooks",
    description =
        "Signed HTTP callbacks of the tenant's events (Standard Webhooks); scope webhooks:admin")
class WebhookController {

  private static final String PROBLEM = "application/problem+json";

  private final WebhookManagement webhooks;

  WebhookController(WebhookManagement webhooks) {
    this.webhooks = webhooks;
  }

  @PostMapping(consumes = "application/json")
  @Operation(
      summary = "Create a webhook endpoint",
      description =
          "The answer holds the signing secret (whsec_...), shown this once. Event types:"
              + " task.finished, task.progress, device.event, device.presence, job.progress,"
              + " job.finished. The URL must be"
              + " http(s) with a host that resolves to public addresses only.")
  @ApiResponse(responseCode = "201", description = "Created; Location names the endpoint")
  @ApiResponse(
      responseCode = "400",
      description = "Unknown event type, a refused URL or another invalid field",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(INVALID)))
  @ApiResponse(
      responseCode = "409",
      description = "The tenant has iot.webhooks.max-endpoints-per-tenant endpoints already",
      content = @Content(mediaType = PROBLEM))
  ResponseEntity<WebhookView> create(@Valid @RequestBody CreateWebhookRequest request) {
    WebhookView view = webhooks.create(request);
    return ResponseEntity.created(URI.create("/api/v1/webhooks/" + view.id())).body(view);
  }

  @GetMapping
  @Operation(summary = "List the tenant's webhook endpoints, newest first, with cursor paging")
  PageView<WebhookView> list(
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    return webhooks.page(cursor == null ? null : Cursor.decode(cursor), Paging.limit(limit));
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a webhook endpoint (without its secret)")
  @ApiResponse(responseCode = "200", description = "The endpoint")
  @ApiResponse(
      responseCode = "404",
      description = "No such endpoint in the caller's tenant",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  WebhookView get(@PathVariable UUID id) {
    return webhooks.get(id);
  }

  @PatchMapping(path = "/{id}", consumes = "application/json")
  @Operation(
      summary = "Change a webhook endpoint: url, event_types, enabled, description",
      description =
          "Fields left out keep their value. enabled=true enables a disabled endpoint again and"
              + " forgets its failures; its pending deliveries are sent then.")
  @ApiResponse(responseCode = "200", description = "The changed endpoint")
  @ApiResponse(
      responseCode = "404",
      description = "No such endpoint in the caller's tenant",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  WebhookView update(@PathVariable UUID id, @Valid @RequestBody UpdateWebhookRequest request) {
    return webhooks.update(id, request);
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Delete a webhook endpoint and its deliveries")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(
      responseCode = "404",
      description = "No such endpoint in the caller's tenant",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    webhooks.delete(id);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{id}/rotate-secret")
  @Operation(
      summary = "Give the endpoint a new signing secret",
      description =
          "The answer holds the new secret. The previous one keeps signing too (a second"
              + " signature in webhook-signature) until previous_secret_expires_at.")
  @ApiResponse(responseCode = "200", description = "The endpoint with its new secret")
  @ApiResponse(
      responseCode = "404",
      description = "No such endpoint in the caller's tenant",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  WebhookView rotateSecret(@PathVariable UUID id) {
    return webhooks.rotateSecret(id);
  }

  @GetMapping("/{id}/deliveries")
  @Operation(
      summary = "The endpoint's deliveries, newest first, each with every attempt",
      description =
          "Per attempt: status, status_code, duration_ms, error; per delivery the next attempt"
              + " while it is pending.")
  @ApiResponse(responseCode = "200", description = "A page of deliveries")
  @ApiResponse(
      responseCode = "404",
      description = "No such endpoint in the caller's tenant",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  PageView<DeliveryView> deliveries(
      @PathVariable UUID id,
      @Parameter(description = "1 to 200, default 50") @RequestParam(required = false)
          @Nullable Integer limit,
      @Parameter(description = "next_cursor of the previous page") @RequestParam(required = false)
          @Nullable String cursor) {
    return webhooks.deliveries(
        id, cursor == null ? null : Cursor.decode(cursor), Paging.limit(limit));
  }

  @PostMapping("/{id}/deliveries/{deliveryId}/retry")
  @Operation(
      summary = "Send a delivery again now",
      description =
          "A succeeded or failed delivery gets one more attempt, with the same webhook-id and"
              + " body; a pending one is made due now.")
  @ApiResponse(responseCode = "202", description = "Due now; the delivery as it stands")
  @ApiResponse(
      responseCode = "404",
      description = "No such endpoint or delivery",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(NOT_FOUND)))
  @ApiResponse(
      responseCode = "409",
      description = "The endpoint is disabled",
      content = @Content(mediaType = PROBLEM))
  ResponseEntity<DeliveryView> retry(@PathVariable UUID id, @PathVariable UUID deliveryId) {
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(webhooks.retry(id, deliveryId));
  }

  private static final String INVALID =
      """
      {"type":"urn:iot-async-rpc:problem:validation-failed","title":"Validation failed",\
      "status":400,"detail":"invalid request: 'url' has a host that resolves to a private address",\
      "errors":[{"field":"url","message":"has a host that resolves to a private address"}]}""";
  private static final String NOT_FOUND =
      """
      {"type":"urn:iot-async-rpc:problem:webhook-not-found","title":"Webhook not found",\
      "status":404,"detail":"webhook '0b7d3c52-5b6f-4b8e-9d36-4f4d2a4c1e01' does not exist"}""";
}
