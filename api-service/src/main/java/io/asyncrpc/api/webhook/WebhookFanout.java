package io.asyncrpc.api.webhook;

import io.asyncrpc.api.event.EventPosition;
import io.asyncrpc.api.event.TenantEvent;
import io.asyncrpc.api.event.TenantEventLog;
import io.asyncrpc.api.schedule.FixedDelayWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the tenant event log into deliveries, exactly once: one transaction locks the fan-out's
 * position ({@code FOR UPDATE SKIP LOCKED}: an instance that finds it locked leaves the run to the
 * holder), reads the events after it, inserts one delivery per matching enabled endpoint of the
 * event's own tenant, and moves the position past them. Either all of that commits or none does.
 */
@Component
class WebhookFanout extends FixedDelayWork {

  /**
   * The body of every attempt.
   *
   * @param type the event type
   * @param timestamp when the event happened
   * @param data the event's document (for task.finished the task with id, status and result)
   */
  record Message(String type, Instant timestamp, Object data) {}

  private final TenantEventLog eventLog;
  private final WebhookStore endpoints;
  private final DeliveryStore deliveries;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final JsonMapper json;
  private final WebhookProperties properties;
  private final WebhookSender sender;
  private final Counter enqueued;

  WebhookFanout(
      TenantEventLog eventLog,
      WebhookStore endpoints,
      DeliveryStore deliveries,
      JdbcClient jdbc,
      TransactionTemplate transactions,
      TaskScheduler scheduler,
      JsonMapper json,
      WebhookProperties properties,
      WebhookSender sender,
      MeterRegistry meters) {
    super("webhook fan-out", scheduler, properties.fanoutInterval(), properties.enabled());
    this.eventLog = eventLog;
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.json = json;
    this.properties = properties;
    this.sender = sender;
    this.enqueued =
        Counter.builder("iot.webhooks.enqueued")
            .description("Deliveries the fan-out created (one per event and matching endpoint)")
            .register(meters);
  }

  /**
   * One fan-out transaction: at most one batch of events. Returns how many events it took, or -1
   * when another instance holds the position.
   */
  int fanOutOnce() {
    int[] created = {0};
    Integer events =
        transactions.execute(
            status -> {
              Optional<EventPosition> position =
                  jdbc.sql("SELECT tx, event_id FROM webhook_fanout FOR UPDATE SKIP LOCKED")
                      .query((rs, n) -> new EventPosition(rs.getLong("tx"), rs.getLong("event_id")))
                      .optional();
              if (position.isEmpty()) {
                return -1;
              }
              if (!endpoints.anyEnabled()) {
                // Nobody to tell: skip what is readable without rendering it.
                EventPosition head = eventLog.head();
                if (head.compareTo(position.get()) > 0) {
                  move(head);
                }
                return 0;
              }
              List<TenantEvent> batch =
                  eventLog.after(position.get(), properties.fanoutBatchSize());
              if (batch.isEmpty()) {
                return 0;
              }
              List<DeliveryStore.NewDelivery> rows = deliveriesOf(batch);
              deliveries.insertAll(rows);
              move(batch.getLast().position());
              created[0] = rows.size();
              return batch.size();
            });
    if (created[0] > 0) {
      enqueued.increment(created[0]);
      sender.wake();
    }
    return events == null ? 0 : events;
  }

  private void move(EventPosition position) {
    jdbc.sql("UPDATE webhook_fanout SET tx = :tx, event_id = :id")
        .param("tx", position.tx())
        .param("id", position.id())
        .update();
  }

  private List<DeliveryStore.NewDelivery> deliveriesOf(List<TenantEvent> batch) {
    Set<String> tenants = batch.stream().map(TenantEvent::tenant).collect(Collectors.toSet());
    Map<String, List<Endpoint>> byTenant = new HashMap<>();
    for (Endpoint endpoint : endpoints.enabledOf(tenants)) {
      byTenant.computeIfAbsent(endpoint.tenant(), t -> new ArrayList<>()).add(endpoint);
    }
    List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
    for (TenantEvent event : batch) {
      String body = null;
      // Only the event's own tenant's endpoints: a tenant never hears of another's events.
      for (Endpoint endpoint : byTenant.getOrDefault(event.tenant(), List.of())) {
        if (!endpoint.eventTypes().contains(event.type().wireName())) {
          continue;
        }
        if (body == null) {
          body =
              json.writeValueAsString(
                  new Message(event.type().wireName(), event.timestamp(), event.data()));
        }
        rows.add(
            new DeliveryStore.NewDelivery(
                UUID.randomUUID(),
                endpoint.id(),
                event.type().wireName(),
                event.position(),
                event.timestamp(),
                body));
      }
    }
    return rows;
  }

  /** Batch after batch while they come back full, for at most one interval. */
  @Override
  protected void runOnce() {
    drain(this::fanOutOnce, properties.fanoutBatchSize(), properties.fanoutInterval());
  }
}
