package io.asyncrpc.core.southbound;

import static io.asyncrpc.core.support.TaskFixtures.inMinutes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TaskFixtures.EventRow;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.core.support.TestDevices;
import io.asyncrpc.protocol.DeviceBound;
import io.asyncrpc.protocol.DeviceCodec;
import io.asyncrpc.protocol.DeviceId;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.ProtocolVersion;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.UserProperties;
import io.asyncrpc.protocol.WireMessage;
import io.asyncrpc.task.model.NorthboundTopology;
import io.asyncrpc.task.model.TaskStatus;
import io.asyncrpc.task.model.TaskTransition.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Protocol v2 (push) against the real broker and database: the declaration, the push of a new task
 * with its payload, the commit that carries the next task, and an offline device that loses no
 * attempt. v1 devices beside them are covered by {@code TaskLifecycleIT}, unchanged.
 */
@CoreServiceTest
class ProtocolV2IT {

  @Autowired TaskFixtures fixtures;
  @Autowired JdbcClient jdbc;
  @Autowired ProtocolJson json;
  @Autowired RabbitTemplate rabbit;

  /** Closes the devices after each test and checks every tracked task's history. */
  @RegisterExtension final TestDevices devices = new TestDevices();

  @Test
  void aDeviceDeclaresV2WithItsPollAndBackToV1WithoutIt() throws Exception {
    TestDevice device = devices.connect(fixtures.newDevice("declare"));
    assertThat(devices.protocolOf(device.id())).isEqualTo(1);

    device.send(MessageKind.REQUEST, TaskIds.ZERO, TestDevices.V2, null);
    Received none = device.next(MessageKind.RESPONSE);

    assertThat(none.userProperties()).containsEntry(UserProperties.STATUS_CODE, "204");
    await().untilAsserted(() -> assertThat(devices.protocolOf(device.id())).isEqualTo(2));

    device.poll();
    device.next(MessageKind.RESPONSE);
    await().untilAsserted(() -> assertThat(devices.protocolOf(device.id())).isEqualTo(1));
  }

  @Test
  void aNewTaskIsPushedWithItsPayloadAndLockedWhenSent() throws Exception {
    TestDevice device = devices.v2("push");

    UUID task = task(device.id(), 5, "{\"relay\":2}");
    Received push = device.next(MessageKind.RESPONSE, task);

    DeviceBound.Response response = decode(device, push, DeviceBound.Response.class);
    assertThat(response.payload()).isEqualTo("{\"relay\": 2}");
    assertThat(response.attempt()).isEqualTo(1);
    assertThat(response.leaseExpires()).isAfter(Instant.now().minusSeconds(1));
    assertThat(device.pending(MessageKind.TRIGGER)).as("no trigger for a v2 device").isZero();
    await()
        .untilAsserted(
            () ->
                assertThat(fixtures.events(task))
                    .extracting(EventRow::cause)
                    .containsExactly(Cause.CREATED, Cause.PUSHED));
    assertThat(fixtures.task(task).status()).isEqualTo(TaskStatus.LOCKED);
  }

  @Test
  void theCommitCarriesTheNextTaskAndTheLastCommitNone() throws Exception {
    TestDevice device = devices.v2("next");
    UUID first = task(device.id(), 5, "{\"n\":1}");
    device.next(MessageKind.RESPONSE, first);
    UUID second = task(device.id(), 5, "{\"n\":2}");
    // The device holds the first task, so the second waits for the first one's commit.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> fixtures.status(second) == TaskStatus.QUEUED);

    device.send(MessageKind.RESULT, first, resultProperties(200), "{\"ok\":true}");
    DeviceBound.Commit commit =
        decode(device, device.next(MessageKind.COMMIT, first), DeviceBound.Commit.class);

    assertThat(commit.version()).isEqualTo(ProtocolVersion.V2);
    assertThat(commit.next()).isNotNull();
    assertThat(commit.next().taskId()).isEqualTo(second);
    assertThat(json.read(commit.next().payload().getBytes(UTF_8)))
        .isEqualTo(json.read("{\"n\":2}".getBytes(UTF_8)));
    await().until(() -> fixtures.status(second) == TaskStatus.LOCKED);
    assertThat(fixtures.status(first)).isEqualTo(TaskStatus.DONE);
    assertThat(device.pending(MessageKind.RESPONSE)).as("no separate push").isZero();

    device.send(MessageKind.RESULT, second, resultProperties(200), "{\"ok\":true}");
    DeviceBound.Commit last =
        decode(device, device.next(MessageKind.COMMIT, second), DeviceBound.Commit.class);

    assertThat(last.version()).isEqualTo(ProtocolVersion.V2);
    assertThat(last.next()).isNull();
    await().until(() -> fixtures.status(second) == TaskStatus.DONE);
  }

  @Test
  void aRepeatedResultIsCommittedAgainWithoutASecondCompletion() throws Exception {
    TestDevice device = devices.v2("repeat");
    UUID task = task(device.id(), 5, "{}");
    device.next(MessageKind.RESPONSE, task);

    device.send(MessageKind.RESULT, task, resultProperties(200), "{\"ok\":true}");
    DeviceBound.Commit first =
        decode(device, device.next(MessageKind.COMMIT, task), DeviceBound.Commit.class);
    device.send(MessageKind.RESULT, task, resultProperties(500), "{\"late\":true}");
    DeviceBound.Commit again =
        decode(device, device.next(MessageKind.COMMIT, task), DeviceBound.Commit.class);

    assertThat(again.resultId()).isEqualTo(first.resultId());
    await().until(() -> fixtures.status(task) == TaskStatus.DONE);
    assertThat(fixtures.events(task))
        .filteredOn(e -> e.to() == TaskStatus.DONE || e.to() == TaskStatus.FAILED)
        .hasSize(1);
  }

  @Test
  void anOfflineDeviceGetsNoPushAndLosesNoAttempt() throws Exception {
    String id = fixtures.newDevice("offline");
    TestDevice first = devices.connect(id);
    first.send(MessageKind.REQUEST, TaskIds.ZERO, TestDevices.V2, null);
    first.next(MessageKind.RESPONSE);
    await().untilAsserted(() -> assertThat(devices.protocolOf(id)).isEqualTo(2));
    first.close();
    await().until(() -> !fixtures.device(id).online());

    UUID task = task(id, 5, "{}");
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> fixtures.status(task) == TaskStatus.QUEUED);
    assertThat(fixtures.task(task).attempts()).isZero();

    TestDevice back = devices.connect(id);
    back.send(MessageKind.REQUEST, TaskIds.ZERO, TestDevices.V2, null);
    DeviceBound.Response response =
        decode(back, back.next(MessageKind.RESPONSE, task), DeviceBound.Response.class);

    assertThat(response.attempt()).isEqualTo(1);
    await()
        .untilAsserted(
            () ->
                assertThat(fixtures.events(task))
                    .extracting(EventRow::cause)
                    .containsExactly(Cause.CREATED, Cause.CLAIMED));
  }

  @Test
  void aPushTheBrokerCannotRouteIsTakenBackWithoutCountingItsAttempt() throws Exception {
    // The registry says online, but no subscription exists: the broker returns the push.
    String id = fixtures.newDevice("unrouted");
    jdbc.sql("UPDATE devices SET protocol_version = 2, online = true WHERE id = ?")
        .params(id)
        .update();

    UUID task = task(id, 5, "{}");

    await()
        .untilAsserted(
            () ->
                assertThat(fixtures.events(task))
                    .extracting(EventRow::cause)
                    .containsExactly(Cause.CREATED, Cause.PUSHED, Cause.UNDELIVERED));
    assertThat(fixtures.task(task).status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(fixtures.task(task).attempts()).isZero();
  }

  @Test
  void aCommitThatCannotBeRoutedKeepsTheResultAndTakesTheNextTaskBack() throws Exception {
    TestDevice device = devices.v2("gone");
    UUID first = task(device.id(), 5, "{}");
    device.next(MessageKind.RESPONSE, first);
    UUID second = task(device.id(), 5, "{}");
    device.close();
    await().until(() -> !fixtures.device(device.id()).online());

    // The result arrives after the device's session ended (here from another client).
    TestDevice other = devices.connect(fixtures.newDevice("other"));
    other.sendTo(
        "dev/" + device.id() + "/res",
        TaskIds.toCorrelationData(first),
        resultProperties(200),
        "{\"ok\":true}");

    await().until(() -> fixtures.status(first) == TaskStatus.DONE);
    await()
        .untilAsserted(
            () ->
                assertThat(fixtures.events(second))
                    .extracting(EventRow::cause)
                    .containsExactly(Cause.CREATED, Cause.PUSHED, Cause.UNDELIVERED));
    assertThat(fixtures.task(second).attempts()).isZero();
  }

  @Test
  void aBurstOfNewTasksAndAnUnusableEventReachEveryDeviceInItsProtocol() throws Exception {
    List<TestDevice> v1 = new ArrayList<>();
    List<TestDevice> v2 = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      v1.add(devices.connect(fixtures.newDevice("burst1")));
      v2.add(devices.v2("burst2"));
    }
    await().until(() -> v1.stream().allMatch(d -> fixtures.device(d.id()).online()));
    // An event the core cannot read, in the middle of the burst: it is dropped on its own.
    rabbit.send(
        NorthboundTopology.TASKS_EXCHANGE,
        NorthboundTopology.TASK_CREATED_KEY,
        MessageBuilder.withBody("not json".getBytes(UTF_8)).build());
    List<UUID> v1Tasks = v1.stream().map(d -> task(d.id(), 5, "{}")).toList();
    List<UUID> v2Tasks = v2.stream().map(d -> task(d.id(), 5, "{}")).toList();

    for (int i = 0; i < 5; i++) {
      v1.get(i).next(MessageKind.TRIGGER, v1Tasks.get(i));
      v2.get(i).next(MessageKind.RESPONSE, v2Tasks.get(i));
    }
    for (int i = 0; i < 5; i++) {
      UUID pushed = v2Tasks.get(i);
      await().until(() -> fixtures.status(pushed) == TaskStatus.LOCKED);
      assertThat(fixtures.status(v1Tasks.get(i))).isEqualTo(TaskStatus.QUEUED);
      assertThat(v1.get(i).pending(MessageKind.RESPONSE)).isZero();
      assertThat(v2.get(i).pending(MessageKind.TRIGGER)).isZero();
    }
  }

  @Test
  void aTaskWhoseLeasePassedIsPushedAgainWithTheNextAttempt() throws Exception {
    TestDevice device = devices.v2("lease");
    UUID task = task(device.id(), 5, "{}");
    device.next(MessageKind.RESPONSE, task);

    // No result: the lease (2 s in these tests) passes, the sweep queues the task and pushes it.
    Received again = device.next(MessageKind.RESPONSE, task);

    assertThat(decode(device, again, DeviceBound.Response.class).attempt()).isEqualTo(2);
    // The push is sent inside the transaction that locks the task: its event commits just after.
    await()
        .untilAsserted(
            () ->
                assertThat(fixtures.events(task))
                    .extracting(EventRow::cause)
                    .containsExactly(
                        Cause.CREATED, Cause.PUSHED, Cause.LEASE_PASSED, Cause.PUSHED));
  }

  private UUID task(String device, int priority, String payload) {
    UUID task = fixtures.createTask(device, "relay.switch", priority, inMinutes(30), payload, null);
    devices.track(task);
    return task;
  }

  private static Map<String, String> resultProperties(int statusCode) {
    return Map.of(
        UserProperties.STATUS_CODE, Integer.toString(statusCode), UserProperties.PROTOCOL, "2");
  }

  private <T extends DeviceBound> T decode(TestDevice device, Received received, Class<T> type) {
    DeviceCodec codec = new DeviceCodec(new DeviceId(device.id()), ProtocolVersion.V2, json);
    List<WireMessage.UserProperty> properties = new ArrayList<>();
    received.userProperties().forEach((k, v) -> properties.add(new WireMessage.UserProperty(k, v)));
    DeviceBound bound =
        codec.decode(
            WireMessage.of(
                received.topic(), received.correlationData(), properties, received.payload()));
    assertThat(bound).isInstanceOf(type);
    return type.cast(bound);
  }
}
