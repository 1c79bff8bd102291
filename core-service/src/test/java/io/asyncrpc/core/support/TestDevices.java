package io.asyncrpc.core.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.UserProperties;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The MQTT test devices and the tasks of one {@link CoreServiceTest} method: connects devices (v1,
 * or declared v2) to the test broker and, after the test, closes them and checks that the history
 * of every task it tracks is a path of the state machine.
 *
 * <p>{@code @RegisterExtension final TestDevices devices = new TestDevices();}
 */
public final class TestDevices implements BeforeEachCallback, AfterEachCallback {

  /** The user properties that declare protocol v2. */
  public static final Map<String, String> V2 = Map.of(UserProperties.PROTOCOL, "2");

  private final List<TestDevice> devices = new CopyOnWriteArrayList<>();
  private final List<UUID> tasks = new CopyOnWriteArrayList<>();
  private TaskFixtures fixtures;
  private JdbcClient jdbc;
  private String mqttHost;
  private int mqttPort;

  @Override
  public void beforeEach(ExtensionContext context) {
    ApplicationContext application = SpringExtension.getApplicationContext(context);
    fixtures = application.getBean(TaskFixtures.class);
    jdbc = application.getBean(JdbcClient.class);
    mqttHost = application.getEnvironment().getRequiredProperty("test.mqtt.host");
    mqttPort = application.getEnvironment().getRequiredProperty("test.mqtt.port", Integer.class);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      devices.forEach(TestDevice::close);
    } finally {
      tasks.forEach(fixtures::assertHistoryIsAPath);
    }
  }

  /** Device {@code id}, connected (v1 until it declares otherwise). */
  public TestDevice connect(String id) throws Exception {
    TestDevice device = TestDevice.connect(mqttHost, mqttPort, id);
    devices.add(device);
    return device;
  }

  /** A new registered device named after {@code prefix}, connected. */
  public TestDevice connectNew(String prefix) throws Exception {
    return connect(fixtures.newDevice(prefix));
  }

  /**
   * A new registered device that declared protocol v2 with its first poll; returns once the core
   * recorded the version and the device is online.
   */
  public TestDevice v2(String prefix) throws Exception {
    TestDevice device = connectNew(prefix);
    device.send(MessageKind.REQUEST, TaskIds.ZERO, V2, null);
    device.next(MessageKind.RESPONSE);
    await().untilAsserted(() -> assertThat(protocolOf(device.id())).isEqualTo(2));
    await().until(() -> fixtures.device(device.id()).online());
    return device;
  }

  /** The protocol version the core recorded for {@code device}. */
  public int protocolOf(String device) {
    return jdbc.sql("SELECT protocol_version FROM devices WHERE id = ?")
        .params(device)
        .query(Integer.class)
        .single();
  }

  /** Checks {@code task}'s history after the test; returns it. */
  public UUID track(UUID task) {
    tasks.add(task);
    return task;
  }
}
