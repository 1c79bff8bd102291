package io.asyncrpc.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.asyncrpc.agent.DeviceEnrollment;
import io.asyncrpc.agent.EnrolledDevice;
import io.asyncrpc.systemtests.security.TestPki;
import io.asyncrpc.testsupport.ApiClient;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.RepositoryFiles;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Verifies the firmware's portable C core end to end: its host build ({@code
 * firmware-esp-idf/host}, the same core on libmosquitto) runs as a separate process against
 * api-service, core-service, ca-service and the real RabbitMQ (MQTT 5 over TLS), and tasks created
 * over REST end with the results its C handlers produced.
 *
 * <p>A control-center client holding a ca-service JWT registers each device and gets its one-time
 * enrollment token. The firmware enrolls by itself (its key made in the process, its CSR signed by
 * ca-service), or a provisioning station enrolls for it and hands it the files. Either way it logs
 * in with the certificate alone (mTLS, client id = CN), never with a password.
 *
 * <p>The host build is made with CMake into {@code target/firmware-host} at the repository root
 * (where {@code scripts/test} builds it too); cmake, pkg-config, libmosquitto-dev, libcjson-dev,
 * libmbedtls-dev and libcurl4-openssl-dev must be installed.
 */
class FirmwareEndToEndIT {

  private static final Duration LIFECYCLE = Duration.ofSeconds(45);
  private static final Duration BUILD = Duration.ofMinutes(5);
  private static final String TENANT = "firmware-tests";
  private static final String BUILD_PACKAGES =
      "cmake, pkg-config, libmosquitto-dev, libcjson-dev, libmbedtls-dev, libcurl4-openssl-dev";

  private static Path firmware;
  private static ServiceProcess api;
  private static ServiceProcess core;
  private static ServiceProcess ca;
  private static URI caUrl;
  private static ApiClient client;
  private static ApiClient caClient;

  @TempDir static Path identities;

  private final List<Device> devices = new ArrayList<>();

  @BeforeAll
  static void buildFirmwareAndStartServices() {
    firmware = buildHostFirmware();
    Endpoints endpoints = Infrastructure.endpoints();
    int caPort = ServiceProcess.freePort();
    int apiPort = ServiceProcess.freePort();
    int corePort = ServiceProcess.freePort();
    caUrl = URI.create("http://127.0.0.1:" + caPort);
    String secret = UUID.randomUUID().toString();
    ca = CaService.start("fw-ca-service", caPort, TENANT, secret);
    // Assigned before waiting, so @AfterAll stops a service that never becomes healthy.
    api =
        ServiceProcess.of("api-service")
            .name("fw-api-service")
            .port(apiPort)
            .against(endpoints)
            .args("--iot.security.jwk-set-uri=" + caUrl + "/.well-known/jwks.json")
            .start();
    api.awaitHealthy();
    core =
        ServiceProcess.of("core-service")
            .name("fw-core-service")
            .port(corePort)
            .against(endpoints)
            .start();
    core.awaitHealthy();
    Supplier<String> token = ApiClient.clientCredentials(caUrl, TENANT, secret);
    client = new ApiClient("http://127.0.0.1:" + apiPort + "/api/v1", token);
    caClient = new ApiClient(caUrl + "/api/v1", token);
  }

  @AfterAll
  static void stopServices() {
    for (ServiceProcess service : new ServiceProcess[] {core, api, ca}) {
      if (service != null) {
        service.close();
      }
    }
  }

  @AfterEach
  void stopDevices() {
    devices.forEach(Device::close);
  }

  @Test
  void sumTaskEndsDoneWithTheResultOfTheCHandler() {
    String deviceId = registerDevice();
    Device device = startSelfEnrollingDevice(deviceId);
    await().atMost(LIFECYCLE).until(() -> device.log().contains("connected"));
    assertThat(device.log()).contains("enrolled " + deviceId);

    UUID taskId = client.createTask(deviceId, "sum", Map.of("values", List.of(1, 2, 3, 4)));
    JsonNode task = client.awaitFinished(taskId, LIFECYCLE);

    assertThat(task.get("status").asString()).isEqualTo("DONE");
    assertThat(task.get("status_code").asInt()).isEqualTo(200);
    assertThat(task.get("result").get("sum").asInt()).isEqualTo(10);
    assertThat(task.get("attempts").asInt()).isEqualTo(1);
    assertThat(device.log()).contains("done " + taskId + " status=200 result={\"sum\":10}");
  }

  @Test
  void taskCreatedWhileTheFirmwareIsOfflineEndsDoneAfterItStarts() {
    String deviceId = registerDevice();
    UUID taskId = client.createTask(deviceId, "sum", Map.of("values", List.of(2.5, 4)));
    assertThat(client.get("/tasks/" + taskId).body().get("status").asString()).isEqualTo("QUEUED");

    Device device = startStationProvisionedDevice(deviceId);
    JsonNode task = client.awaitFinished(taskId, LIFECYCLE);

    assertThat(task.get("status").asString()).isEqualTo("DONE");
    assertThat(task.get("result").get("sum").asDouble()).isEqualTo(6.5);
    await().atMost(LIFECYCLE).until(() -> device.log().contains("committed " + taskId));
  }

  @Test
  void unknownMethodCodeEndsFailedWith501FromTheHandlerTable() {
    String deviceId = registerDevice();
    startSelfEnrollingDevice(deviceId);

    UUID taskId = client.createTask(deviceId, "no.such.method", Map.of());
    JsonNode task = client.awaitFinished(taskId, LIFECYCLE);

    assertThat(task.get("status").asString()).isEqualTo("FAILED");
    assertThat(task.get("status_code").asInt()).isEqualTo(501);
    assertThat(task.get("result").get("error").asString()).contains("unknown method_code");
  }

  /**
   * Protocol v2 (push) on the firmware: {@code --protocol 2} declares it with the poll on connect,
   * a new task is pushed with its payload (no trigger, no request), and a task created while the
   * device holds one comes with that one's commit. The device's own polling is set to a minute so
   * that nothing here reaches it by a poll; {@code --debug} logs how the next task came.
   */
  @Test
  void v2FirmwareGetsItsTasksPushedAndTheNextOneWithTheCommit() {
    String deviceId = registerDevice();
    Device device =
        startSelfEnrollingDevice(
            deviceId, List.of("--protocol", "2", "--poll-interval-ms", "60000", "--debug"));
    await()
        .atMost(LIFECYCLE)
        .until(
            () -> {
              JsonNode view = client.get("/devices/" + deviceId).body();
              return view.path("online").asBoolean() && view.path("protocol_version").asInt() == 2;
            });

    UUID first = client.createTask(deviceId, "sleep", Map.of("ms", 3000));
    await().atMost(LIFECYCLE).until(() -> device.log().contains("received " + first));
    UUID second = client.createTask(deviceId, "sum", Map.of("values", List.of(1, 2, 3, 4)));
    JsonNode done = client.awaitFinished(second, LIFECYCLE);

    assertThat(done.get("status").asString()).isEqualTo("DONE");
    assertThat(done.get("result").get("sum").asInt()).isEqualTo(10);
    assertThat(done.get("attempts").asInt()).isEqualTo(1);
    assertThat(client.awaitFinished(first, LIFECYCLE).get("status").asString()).isEqualTo("DONE");
    for (UUID task : List.of(first, second)) {
      assertThat(causes(task))
          .as(task.toString())
          .containsExactly("CREATED", "PUSHED", "RESULT_OK");
    }
    assertThat(device.log())
        .contains("next task " + second + " came with the commit of " + first)
        .doesNotContain("trigger ");
  }

  /**
   * ca-service on the stack's PKI and broker management API, with a bootstrap client of tenant
   * {@value #TENANT} whose secret lives only in this run.
   */
  @Test
  void usedEnrollmentTokenIsRefusedAndTheFirmwareStopsWithoutAnIdentity() throws Exception {
    String deviceId = registerDevice();
    String token = enrollmentToken(deviceId);
    Device first = startDevice(deviceId, selfEnrollment(deviceId, "first", token));
    await().atMost(LIFECYCLE).until(() -> first.log().contains("connected"));

    Device second = startDevice(deviceId, selfEnrollment(deviceId, "second", token));

    assertThat(second.process().waitFor(LIFECYCLE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(second.process().exitValue()).isEqualTo(1);
    assertThat(second.log()).contains("enrollment refused").doesNotContain("connected");
    assertThat(identities.resolve(deviceId + "-second").resolve("device.key")).doesNotExist();
  }

  private static List<String> selfEnrollment(String deviceId, String copy, String token) {
    return List.of(
        "--identity-dir",
        identities.resolve(deviceId + "-" + copy).toString(),
        "--enroll-token",
        token,
        "--ca-url",
        caUrl.toString());
  }

  private String registerDevice() {
    String device = "fw-" + UUID.randomUUID().toString().substring(0, 8);
    ApiClient.Answer answer =
        client.post("/devices", Map.of("id", device, "display_name", "firmware host build"));
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(201);
    return device;
  }

  /**
   * Starts {@code deviceId} with only an enrollment token: the firmware makes its key, enrolls its
   * CSR at ca-service, keeps the identity in its own directory, then connects over mTLS.
   */
  private Device startSelfEnrollingDevice(String deviceId) {
    return startDevice(deviceId, selfEnrollment(deviceId, "own", enrollmentToken(deviceId)));
  }

  /** As {@link #startSelfEnrollingDevice(String)}, with more options (later ones win). */
  private Device startSelfEnrollingDevice(String deviceId, List<String> options) {
    List<String> all = new ArrayList<>(selfEnrollment(deviceId, "own", enrollmentToken(deviceId)));
    all.addAll(options);
    return startDevice(deviceId, all);
  }

  /** The causes of a task's transitions, oldest first. */
  private static List<String> causes(UUID taskId) {
    List<String> causes = new ArrayList<>();
    for (JsonNode event : client.get("/tasks/" + taskId + "/events").body()) {
      causes.add(event.get("cause").asString());
    }
    return causes;
  }

  /**
   * Starts {@code deviceId} provisioned as a factory station would: the station enrolls for it and
   * hands the firmware the key and certificate files.
   */
  private Device startStationProvisionedDevice(String deviceId) {
    EnrolledDevice identity = enrollAtStation(deviceId);
    return startDevice(
        deviceId,
        List.of(
            "--cert",
            presentedChain(identity).toString(),
            "--key",
            identity.privateKey().toString()));
  }

  private Device startDevice(String deviceId, List<String> identityOptions) {
    Endpoints endpoints = Infrastructure.endpoints();
    List<String> command =
        new ArrayList<>(
            List.of(
                firmware.toString(),
                "--device-id",
                deviceId,
                "--host",
                "localhost", // the broker's certificate names localhost: the name is checked
                "--port",
                String.valueOf(endpoints.mqttTlsPort()),
                "--cafile",
                TestPki.directory().resolve("trust-bundle.pem").toString(),
                "--poll-interval-ms",
                "2000"));
    command.addAll(identityOptions);
    // One log per process: a device id may run twice in a test.
    Device device = Device.start(deviceId + "-" + devices.size(), command);
    devices.add(device);
    return device;
  }

  private static String enrollmentToken(String deviceId) {
    ApiClient.Answer token =
        caClient.post("/identities/" + deviceId + "/enrollment-tokens", Map.of());
    assertThat(token.status()).as(token.body().toString()).isEqualTo(201);
    return token.body().get("token").asString();
  }

  /** Enrolls {@code deviceId} at ca-service as a provisioning station: the key is made there. */
  private static EnrolledDevice enrollAtStation(String deviceId) {
    try {
      return DeviceEnrollment.enroll(
          caUrl, deviceId, enrollmentToken(deviceId), identities.resolve(deviceId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The file the firmware presents: its certificate, then the device CA chain. */
  private static Path presentedChain(EnrolledDevice identity) {
    Path presented = identity.certificate().resolveSibling("presented.pem");
    try {
      Files.writeString(
          presented, Files.readString(identity.certificate()) + Files.readString(identity.chain()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return presented;
  }

  /** Configures and builds the host firmware; fails with the build log if it cannot. */
  private static Path buildHostFirmware() {
    Path source = RepositoryFiles.find("firmware-esp-idf/host");
    Path build = source.getParent().getParent().resolve("target").resolve("firmware-host");
    // Configured every time: quick on a configured tree, and it heals one whose last configure
    // failed (a CMakeCache.txt without a build system).
    runBuildStep(
        "configure",
        List.of(
            "cmake", "-S", source.toString(), "-B", build.toString(), "-DCMAKE_BUILD_TYPE=Debug"));
    runBuildStep(
        "build", List.of("cmake", "--build", build.toString(), "--target", "asyncrpc-device"));
    Path binary = build.resolve("asyncrpc-device");
    assertThat(binary).as("host firmware binary").isExecutable();
    return binary;
  }

  private static void runBuildStep(String step, List<String> command) {
    Path log = logFile("firmware-" + step + ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(BUILD.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("firmware " + step + " took longer than " + BUILD);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "firmware "
                + step
                + " failed (needs "
                + BUILD_PACKAGES
                + "):\n"
                + Files.readString(log));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run cmake for the firmware host build; install " + BUILD_PACKAGES, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path logFile(String name) {
    try {
      return Files.createDirectories(Path.of("target", "system-tests")).resolve(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host-built firmware running as its own process, stdout and stderr in one log file. */
  private record Device(Process process, Path output) implements AutoCloseable {

    static Device start(String name, List<String> command) {
      Path log = logFile("firmware-" + name + ".log");
      try {
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new Device(process, log);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the host firmware", e);
      }
    }

    String log() {
      try {
        return Files.exists(output) ? Files.readString(output) : "";
      } catch (IOException e) {
        return "(log unreadable: " + e + ")";
      }
    }

    @Override
    public void close() {
      process.destroy(); // SIGTERM: the firmware disconnects cleanly
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
