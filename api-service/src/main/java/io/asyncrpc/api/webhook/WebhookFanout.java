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
 * Turns the tenant event log into deliveries, exactly once: one transaction takes the fan-out's
 * advisory lock ({@code pg_try_advisory_xact_lock}: an instance that finds it taken leaves the run
 * to the holder), reads the position and the events after it, moves the position past them if it is
 * still where it was read, and inserts one delivery per matching enabled endpoint of the event's
 * own tenant. Either all of that commits or none does.
 */
@Component
class WebhookFanout extends FixedDelayWork {

  /** Names the advisory lock the fan-out runs under. */
  static final String LOCK_KEY = "webhook_fanout";

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
              // No row lock before the writes: a row lock would give this transaction an id at
              // once, and while it reads and renders a batch that id would hold back the horizon
              // every reader of the log waits for (tx < pg_snapshot_xmin): the event streams and
              // waiting requests of every instance. An advisory lock keeps two instances from
              // doing the same work; the position moves only if it is still the one read, so even
              // an instance that does not take that lock cannot make an event delivered twice.
              boolean holder =
                  Boolean.TRUE.equals(
                      jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtext(:key))")
                          .param("key", LOCK_KEY)
                          .query(Boolean.class)
                          .single());
              if (!holder) {
                return -1;
              }
              Optional<EventPosition> position =
                  jdbc.sql("SELECT tx, event_id FROM webhook_fanout")
                      .query((rs, n) -> new EventPosition(rs.getLong("tx"), rs.getLong("event_id")))
                      .optional();
              if (position.isEmpty()) {
                return -1;
              }
              if (!endpoints.anyEnabled()) {
                // Nobody to tell: skip what is readable without rendering it.
                EventPosition head = eventLog.head();
                if (head.compareTo(position.get()) > 0 && !move(position.get(), head)) {
                  status.setRollbackOnly();
                  return -1;
                }
                return 0;
              }
              List<TenantEvent> batch =
                  eventLog.after(position.get(), properties.fanoutBatchSize());
              if (batch.isEmpty()) {
                return 0;
              }
              List<DeliveryStore.NewDelivery> rows = deliveriesOf(batch);
              if (!move(position.get(), batch.getLast().position())) {
                status.setRollbackOnly();
                return -1;
              }
              deliveries.insertAll(rows);
              created[0] = rows.size();
              return batch.size();
            });
    if (created[0] > 0) {
      enqueued.increment(created[0]);
      sender.wake();
    }
    return events == null ? 0 : events;
  }

  /**
   * Moves the position from {@code from} to {@code to}; false if it is no longer at {@code from}.
   */
  private boolean move(EventPosition from, EventPosition to) {
    return jdbc.sql(
                """
                UPDATE webhook_fanout SET tx = :tx, event_id = :id
                 WHERE tx = :fromTx AND event_id = :fromId
                """)
            .param("tx", to.tx())
            .param("id", to.id())
            .param("fromTx", from.tx())
            .param("fromId", from.id())
            .update()
        == 1;
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
