package io.asyncrpc.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.TaskIds;
import io.asyncrpc.protocol.UserProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tests for {@link JobScheduler}: the application's own rollout loop turns a due job into
 * executions, a v1 device is triggered and a v2 device gets its execution pushed, and the job
 * completes once both devices answered.
 */
@CoreServiceTest
class JobSchedulerIT {

  @Autowired TaskFixtures tasks;
  @Autowired JdbcClient jdbc;

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  private final List<TestDevice> devices = new ArrayList<>();

  @AfterEach
  void close() {
    devices.forEach(TestDevice::close);
  }

  @Test
  void aDueJobReachesV1AndV2DevicesAndCompletesWhenTheyAnswer() throws Exception {
    JobFixtures jobs = new JobFixtures(jdbc);
    TestDevice v1 = connect(tasks.newDevice("job-v1"));
    TestDevice v2 = connect(tasks.newDevice("job-v2"));
    v2.send(MessageKind.REQUEST, TaskIds.ZERO, Map.of(UserProperties.PROTOCOL, "2"), null);
    v2.next(MessageKind.RESPONSE);
    await().until(() -> tasks.device(v2.id()).online());

    UUID job =
        jobs.job(
            List.of(v1.id(), v2.id()),
            "{\"for\": \"{{device.id}}\"}",
            "{\"max_per_minute\": 6000}",
            "[]",
            0,
            Instant.now());

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> jobs.executions(job).stream().allMatch(java.util.Objects::nonNull));
    List<UUID> executions = jobs.executions(job);
    UUID first = executions.get(0);
    UUID second = executions.get(1);

    v1.next(MessageKind.TRIGGER, first);
    v1.request(first);
    Received response = v1.next(MessageKind.RESPONSE, first);
    assertThat(response.payloadText()).contains(v1.id());
    v1.result(first, 200, "{\"ok\": true}");
    Received push = v2.next(MessageKind.RESPONSE, second);
    assertThat(push.payloadText()).contains(v2.id());
    v2.result(second, 200, "{\"ok\": true}");

    await().atMost(Duration.ofSeconds(20)).until(() -> "COMPLETED".equals(jobs.status(job)));
    assertThat(jobs.events(job)).extracting(Map.Entry::getKey).endsWith("job.finished");
  }

  private TestDevice connect(String id) throws Exception {
    TestDevice device = TestDevice.connect(mqttHost, mqttPort, id);
    devices.add(device);
    return device;
  }
}
