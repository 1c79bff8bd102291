package io.asyncrpc.core.northbound;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.CoreProperties;
import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.core.support.TestDevices;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.task.model.TaskCreatedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The PostgreSQL notification of new tasks ({@code iot.outbox.task-created=notify} in api-service)
 * against the real database and broker: a notified task reaches its device with no broker message
 * from api-service, a malformed notification changes nothing, and of two instances one listens
 * while the other waits to take over.
 */
@CoreServiceTest
class TaskCreatedNotificationsIT {

  @Autowired TaskFixtures fixtures;
  @Autowired JdbcClient jdbc;
  @Autowired TaskCreatedNotifications notifications;
  @Autowired TaskCreatedListener listener;
  @Autowired DataSource dataSource;
  @Autowired CoreProperties properties;

  @RegisterExtension final TestDevices devices = new TestDevices();

  @Test
  void aNotifiedTaskIsPushedToItsV2DeviceAndTriggersItsV1Device() throws Exception {
    await().until(notifications::listening);
    TestDevice v2 = devices.v2("notify-v2");
    TestDevice v1 = devices.connectNew("notify-v1");
    await().until(() -> fixtures.device(v1.id()).online());

    UUID pushed = insertTask(v2.id());
    UUID triggered = insertTask(v1.id());
    notifyCreated(pushed + "," + triggered);

    v2.next(MessageKind.RESPONSE, pushed);
    v1.next(MessageKind.TRIGGER, triggered);
    assertThat(fixtures.task(pushed).attempts()).as("locked when sent").isEqualTo(1);
  }

  @Test
  void aNotificationThatIsNotAListOfTaskIdsIsIgnoredAndTheNextOneStillWorks() throws Exception {
    await().until(notifications::listening);
    TestDevice device = devices.v2("notify-garbage");
    UUID task = insertTask(device.id());

    notifyCreated(task + ",not-a-task");
    notifyCreated(task.toString());

    device.next(MessageKind.RESPONSE, task);
    assertThat(fixtures.task(task).attempts()).as("pushed once, by the second").isEqualTo(1);
    assertThat(notifications.listening()).isTrue();
  }

  @Test
  void aSecondInstanceWaitsWhileOneListensAndTakesOverWhenItStops() throws Exception {
    await().until(notifications::listening);
    TaskCreatedNotifications second =
        new TaskCreatedNotifications(dataSource, listener, properties, new SimpleMeterRegistry());
    second.start();
    try {
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !second.listening());

      notifications.stop();
      await().until(second::listening);
      TestDevice device = devices.v2("notify-takeover");
      UUID task = insertTask(device.id());
      notifyCreated(task.toString());
      device.next(MessageKind.RESPONSE, task);
    } finally {
      second.stop();
      notifications.start();
    }
    await().until(notifications::listening);
  }

  private UUID insertTask(String device) {
    return devices.track(
        fixtures.insertTask(
            device, "relay.switch", 5, inMinutes(30), "{\"relay\": 2}", null, Instant.now()));
  }

  private void notifyCreated(String payload) {
    jdbc.sql("SELECT pg_notify(?, ?)").params(TaskCreatedChannel.CHANNEL, payload).query(rs -> {});
  }
}
