package io.asyncrpc.reliability.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The webhook invariant of a run: every finished task produced exactly one {@code task.finished}
 * delivery to the suite's endpoint, that delivery ended {@code succeeded} (retried until a 2xx,
 * through the faults), and the receiver accepted it under that delivery's webhook-id.
 */
public final class WebhookDeliveryCheck {

  /** One delivery of a task's {@code task.finished}: its id (the webhook-id) and status. */
  record Delivery(UUID id, String status) {}

  private final String url;
  private final String user;
  private final String password;

  public WebhookDeliveryCheck(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * Whether the senders are done: no delivery pending, and every finished task has its delivery
   * (the fan-out may still be behind the log). False while the database is unreachable.
   */
  public boolean settled() {
    try (Connection db = DriverManager.getConnection(url, user, password);
        Statement sql = db.createStatement();
        ResultSet rs =
            sql.executeQuery(
                """
                SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'),
                       (SELECT count(*) FROM tenant_events e WHERE e.type = 'task.finished'
                          AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                                           WHERE d.event_id = e.id))""")) {
      rs.next();
      return rs.getLong(1) == 0 && rs.getLong(2) == 0;
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * The violations: {@code acceptedByTask} is what the receiver accepted, per task, by webhook-id.
   */
  public List<Violation> check(Map<UUID, Set<String>> acceptedByTask) {
    List<UUID> finished = new ArrayList<>();
    Map<UUID, List<Delivery>> deliveries = new HashMap<>();
    try (Connection db = DriverManager.getConnection(url, user, password);
        Statement sql = db.createStatement()) {
      db.setAutoCommit(false);
      sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      try (ResultSet rs =
          sql.executeQuery(
              "SELECT id FROM tasks WHERE status NOT IN ('QUEUED', 'PENDING', 'LOCKED')")) {
        while (rs.next()) {
          finished.add(rs.getObject(1, UUID.class));
        }
      }
      try (ResultSet rs =
          sql.executeQuery(
              """
              SELECT e.task_id, d.id, d.status FROM webhook_deliveries d
                JOIN tenant_events e ON e.id = d.event_id
               WHERE d.event_type = 'task.finished'""")) {
        while (rs.next()) {
          deliveries
              .computeIfAbsent(rs.getObject(1, UUID.class), t -> new ArrayList<>())
              .add(new Delivery(rs.getObject(2, UUID.class), rs.getString(3)));
        }
      }
      db.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the webhook deliveries from " + url, e);
    }
    List<Violation> violations = new ArrayList<>();
    for (UUID task : finished) {
      List<Delivery> mine = deliveries.getOrDefault(task, List.of());
      if (mine.size() != 1) {
        violations.add(violation(task, mine.size() + " task.finished deliveries, not 1"));
        continue;
      }
      Delivery delivery = mine.getFirst();
      if (!"succeeded".equals(delivery.status())) {
        violations.add(
            violation(task, "its delivery " + delivery.id() + " is " + delivery.status()));
      } else if (!acceptedByTask.getOrDefault(task, Set.of()).contains(delivery.id().toString())) {
        violations.add(
            violation(
                task,
                "its delivery " + delivery.id() + " succeeded but the receiver never took it"));
      }
    }
    return violations;
  }

  private static Violation violation(UUID task, String message) {
    return new Violation(Violation.Kind.FINISHED_NOT_DELIVERED_ONCE, task, message);
  }
}
