package io.asyncrpc.core.event;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.core.support.CoreServiceTest;
import io.asyncrpc.core.support.Received;
import io.asyncrpc.core.support.TaskFixtures;
import io.asyncrpc.core.support.TestDevice;
import io.asyncrpc.protocol.GoldenMessages;
import io.asyncrpc.protocol.MessageKind;
import io.asyncrpc.protocol.ProtocolJson;
import io.asyncrpc.protocol.WireMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Device events over real MQTT 5: stored once, answered on {@code eva}, limited, expired. */
@CoreServiceTest
class DeviceEventsIT {

  private static final String CORRELATION = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";

  @Autowired TaskFixtures fixtures;
  @Autowired JdbcClient jdbc;
  @Autowired ProtocolJson json;
  @Autowired MeterRegistry meters;
  @Autowired EventRetention retention;

  @Value("${test.mqtt.host}")
  String mqttHost;

  @Value("${test.mqtt.port}")
  int mqttPort;

  private final List<TestDevice> devices = new ArrayList<>();

  @AfterEach
  void disconnect() {
    devices.forEach(TestDevice::close);
  }

  @Test
  void anEventIsStoredAndAnsweredAsTheGoldenMessagesShow() throws Exception {
    TestDevice device = connect("evt");
    WireMessage golden = GoldenMessages.load("18-event.json").message();

    device.sendTo(
        "dev/" + device.id() + "/evt",
        golden.correlationData(),
        properties(golden),
        new String(golden.payload(), UTF_8));
    Received answer = device.next(MessageKind.EVENT_ANSWER);

    WireMessage expected = GoldenMessages.load("19-event-answer.json").message();
    assertThat(answer.topic()).isEqualTo("srv/" + device.id() + "/eva");
    assertThat(answer.correlation()).isEqualTo(CORRELATION);
    assertThat(answer.userProperties()).isEqualTo(properties(expected));
    assertThat(json.read(answer.payload())).isEqualTo(json.read(expected.payload()));
    assertThat(rows(device.id())).isOne();
    assertThat(
            jdbc.sql("SELECT payload->'300'->0->>'state' FROM device_events WHERE device_id = ?")
                .params(device.id())
                .query(String.class)
                .single())
        .isEqualTo("open");
  }

  @Test
  void aRepeatIsAnsweredAgainAndNotStoredTwice() throws Exception {
    TestDevice device = connect("evt-again");

    event(device, "13", "7", "1764072000", "{\"200\": 13}");
    event(device, "13", "7", "1764072000", "{\"200\": 13}");

    assertThat(status(device.next(MessageKind.EVENT_ANSWER))).isEqualTo("success");
    assertThat(status(device.next(MessageKind.EVENT_ANSWER))).isEqualTo("success");
    assertThat(rows(device.id())).isOne();
  }

  @Test
  void typeZeroOrIdZeroIsStoredAndNotAnswered() throws Exception {
    TestDevice device = connect("evt-zero");

    event(device, "0", "8", "1764072000", null);
    event(device, "14", "0", "1764072001", null);
    event(device, "14", "9", "2025-11-25T12:00:00Z", null); // answered: the last one

    assertThat(device.next(MessageKind.EVENT_ANSWER).userProperties())
        .containsEntry("dev_event_id", "9");
    await().until(() -> rows(device.id()) == 3);
    assertThat(device.pending(MessageKind.EVENT_ANSWER)).isZero();
  }

  @Test
  void aMalformedEventIsAnsweredWithItsErrorAndStoresNothing() throws Exception {
    TestDevice device = connect("evt-bad");

    event(device, "13", "10", "yesterday", null);
    event(device, "13", "11", "1764072000", "{not json");
    event(device, "13", "12", "1764072000", "{\"x\":\"" + "a".repeat(17 * 1024) + "\"}");
    event(device, "thirteen", "13", "1764072000", null);

    // Competing consumers may answer in any order: by event id.
    Map<String, String> codes = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      Received answer = device.next(MessageKind.EVENT_ANSWER);
      codes.put(answer.userProperties().get("dev_event_id"), errorCode(answer));
    }
    assertThat(codes)
        .containsOnly(
            Map.entry("10", "invalid-event"),
            Map.entry("11", "invalid-event"),
            Map.entry("12", "payload-too-large"));
    assertThat(device.next(MessageKind.ERROR).userProperties())
        .containsEntry("error_code", "invalid-event");
    assertThat(rows(device.id())).isZero();
  }

  @Test
  void aFloodingDeviceIsThrottledAndCountedWhileOthersAreAnswered() throws Exception {
    TestDevice flood = connect("evt-flood");
    TestDevice quiet = connect("evt-quiet");
    double throttledBefore = counter();
    int sent = 120;

    for (int i = 1; i <= sent; i++) {
      event(flood, "13", Integer.toString(i), "1764072000", null);
    }
    event(quiet, "13", "1", "1764072000", null);

    assertThat(status(quiet.next(MessageKind.EVENT_ANSWER))).isEqualTo("success");
    // Every event is either answered or dropped and counted; none is lost from the accounts.
    await()
        .atMost(30, TimeUnit.SECONDS)
        .untilAsserted(
            () ->
                assertThat(flood.pending(MessageKind.EVENT_ANSWER) + (counter() - throttledBefore))
                    .isEqualTo((double) sent));
    assertThat(rows(flood.id())).isEqualTo(flood.pending(MessageKind.EVENT_ANSWER));
  }

  @Test
  void eventsPastTheirRetentionAreDeleted() throws Exception {
    TestDevice device = connect("evt-old");
    event(device, "13", "1", "1764072000", null);
    event(device, "13", "2", "1764072001", null);
    device.next(MessageKind.EVENT_ANSWER);
    device.next(MessageKind.EVENT_ANSWER);
    jdbc.sql(
            "UPDATE device_events SET received_at = now() - interval '400 days'"
                + " WHERE device_id = ? AND dev_event_id = 1")
        .params(device.id())
        .update();

    retention.deleteExpired();

    assertThat(
            jdbc.sql("SELECT dev_event_id FROM device_events WHERE device_id = ?")
                .params(device.id())
                .query(Long.class)
                .list())
        .containsExactly(2L);
  }

  private TestDevice connect(String prefix) throws Exception {
    TestDevice device = TestDevice.connect(mqttHost, mqttPort, fixtures.newDevice(prefix));
    devices.add(device);
    return device;
  }

  private static void event(
      TestDevice device, String type, String id, String timestamp, String payload)
      throws Exception {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("event_type_code", type);
    properties.put("dev_event_id", id);
    properties.put("dev_timestamp", timestamp);
    device.sendTo("dev/" + device.id() + "/evt", CORRELATION.getBytes(UTF_8), properties, payload);
  }

  private static Map<String, String> properties(WireMessage message) {
    Map<String, String> properties = new LinkedHashMap<>();
    message.userProperties().forEach(p -> properties.put(p.name(), p.value()));
    return properties;
  }

  private String status(Received answer) {
    return json.read(answer.payload()).path("status").asString();
  }

  private String errorCode(Received answer) {
    assertThat(status(answer)).isEqualTo("error");
    return json.read(answer.payload()).path("code").asString();
  }

  private int rows(String device) {
    return jdbc.sql("SELECT count(*) FROM device_events WHERE device_id = ?")
        .params(device)
        .query(Integer.class)
        .single();
  }

  private double counter() {
    var counter = meters.find("iot.device.throttled").tag("kind", "evt").counter();
    return counter == null ? 0 : counter.count();
  }
}
