package io.asyncrpc.core.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.protocol.MessageKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Presence from RabbitMQ's connection events and from device messages. */
@CoreServiceTest
class PresenceIT {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired TaskFixtures fixtures;
  @Autowired JdbcClient jdbc;
  @Autowired LastSeenWriter lastSeen;

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  @Test
  void aRegisteredDeviceIsOnlineWhileConnected() throws Exception {
    String id = fixtures.newDevice("presence");
    Instant before = Instant.now().minusSeconds(1);

    try (TestDevice device = TestDevice.connect(mqttHost, mqttPort, id)) {
      await().atMost(PATIENCE).until(() -> fixtures.device(id).online());
      assertThat(fixtures.device(id).connectedAt()).isAfter(before);
      device.poll();
      device.next(MessageKind.RESPONSE);
      assertThat(fixtures.device(id).lastSeenAt()).isAfter(before);
    }

    await().atMost(PATIENCE).until(() -> !fixtures.device(id).online());
  }

  @Test
  void aDeviceHeardFromAgainIsWrittenBehindAndNeverMovedBack() {
    String id = fixtures.newDevice("last-seen");
    setLastSeen(id, "-1 hour");
    Instant hourAgo = fixtures.device(id).lastSeenAt();

    // The first message confirms the registration and writes at once.
    assertThat(lastSeen.seen(id)).isTrue();
    Instant first = fixtures.device(id).lastSeenAt();
    assertThat(first).isAfter(hourAgo.plusSeconds(3000));

    // The next ones are only noted, and written together by the next write.
    setLastSeen(id, "-1 hour");
    assertThat(lastSeen.seen(id)).isTrue();
    assertThat(fixtures.device(id).lastSeenAt()).isBefore(first);
    assertThat(lastSeen.write()).isGreaterThanOrEqualTo(1);
    assertThat(fixtures.device(id).lastSeenAt()).isAfterOrEqualTo(first);

    // A later last_seen_at (a newer connection, say) is kept.
    setLastSeen(id, "1 hour");
    Instant ahead = fixtures.device(id).lastSeenAt();
    assertThat(lastSeen.seen(id)).isTrue();
    lastSeen.write();
    assertThat(fixtures.device(id).lastSeenAt()).isEqualTo(ahead);

    assertThat(lastSeen.seen("not-registered-" + id)).isFalse();
  }

  private void setLastSeen(String id, String fromNow) {
    jdbc.sql("UPDATE devices SET last_seen_at = now() + CAST(? AS interval) WHERE id = ?")
        .params(fromNow, id)
        .update();
  }

  @Test
  void aReconnectKeepsTheDeviceOnline() throws Exception {
    String id = fixtures.newDevice("reconnect");
    try (TestDevice first = TestDevice.connect(mqttHost, mqttPort, id)) {
      await().atMost(PATIENCE).until(() -> fixtures.device(id).online());
      first.poll();
      first.next(MessageKind.RESPONSE);
      Instant firstConnection = fixtures.device(id).connectedAt();
      // Same client id: the broker closes the first connection (takeover).
      try (TestDevice second = TestDevice.connect(mqttHost, mqttPort, id)) {
        await()
            .atMost(PATIENCE)
            .until(() -> fixtures.device(id).connectedAt().isAfter(firstConnection));
        second.poll();
        second.next(MessageKind.RESPONSE);
        assertThat(fixtures.device(id).online()).isTrue();
      }
    }
    await().atMost(PATIENCE).until(() -> !fixtures.device(id).online());
  }

  @Test
  void anUnregisteredClientIsIgnoredAndRefused() throws Exception {
    String id = TaskFixtures.uniqueDeviceId("stranger");
    try (TestDevice stranger = TestDevice.connect(mqttHost, mqttPort, id)) {
      stranger.poll();
      assertThat(stranger.next(MessageKind.ERROR).userProperties())
          .containsEntry("error_code", "unknown-device")
          .containsEntry("status_code", "403");
    }
    assertThat(
            jdbc.sql("SELECT count(*) FROM devices WHERE id = ?")
                .params(id)
                .query(Long.class)
                .single())
        .isZero();
  }
}
