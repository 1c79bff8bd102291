package io.asyncrpc.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asyncrpc.agent.internal.discovery.BrokerDiscovery;
import io.asyncrpc.agent.internal.discovery.BrokerDiscovery.Broker;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.RepositoryFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent's discovery against the real avahi-daemon announcing the project's service files
 * ({@code mdns/avahi/}), started by {@code scripts/stack mdns} on the loopback interface only, so
 * nothing is announced beyond this machine. Skipped, saying why, where avahi-daemon cannot run (not
 * installed, not root, no local stack); {@code BrokerDiscoveryTests} always runs.
 */
class AvahiDiscoveryIT {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private static boolean started;

  @BeforeAll
  static void announceWithAvahi() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/avahi-daemon")),
        "avahi-daemon is not installed (Debian package avahi-daemon); not tested against avahi");
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "avahi-daemon is started by scripts/stack, which needs root; not tested against avahi");
    assumeTrue(
        !Infrastructure.usesContainers(),
        "the broker runs in a container; avahi announces the local stack's ports only");
    String output = stack("mdns");
    started = true;
    assumeTrue(output != null, () -> "avahi-daemon could not be started here (scripts/stack mdns)");
  }

  /** Stops the announcement: left running, it would answer other tests' "nothing announced". */
  @AfterAll
  static void stopAnnouncing() throws Exception {
    if (started) {
      stack("mdns-stop");
    }
  }

  /** Runs {@code scripts/stack COMMAND}; its output, or null when it failed. */
  private static String stack(String command) throws Exception {
    Path stack = RepositoryFiles.find("scripts").resolve("stack");
    ProcessBuilder builder =
        new ProcessBuilder(stack.toString(), command).redirectErrorStream(true);
    builder.environment().put("IOTCORE_MDNS_INTERFACES", "lo");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ok = process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    if (!ok) {
      System.err.println("scripts/stack " + command + " failed:\n" + output);
    }
    return ok ? output : null;
  }

  @Test
  void findsTheBrokerListenersAvahiAnnounces() throws IOException {
    Endpoints endpoints = Infrastructure.endpoints();

    Broker plain =
        BrokerDiscovery.find(BrokerDiscovery.MQTT, Duration.ofSeconds(10), LOOPBACK).orElseThrow();
    Broker secure =
        BrokerDiscovery.find(BrokerDiscovery.SECURE_MQTT, Duration.ofSeconds(10), LOOPBACK)
            .orElseThrow();

    assertThat(plain.port()).isEqualTo(endpoints.mqttPort());
    assertThat(plain.instance()).startsWith("IoT Async-RPC Core MQTT on ");
    assertThat(secure.port()).isEqualTo(endpoints.mqttTlsPort());
    assertThat(InetAddress.getByName(plain.host()).isLoopbackAddress()).isTrue();
    assertThat(BrokerDiscovery.find("_https._tcp.local.", Duration.ofSeconds(10), LOOPBACK))
        .map(Broker::instance)
        .hasValueSatisfying(name -> assertThat(name).startsWith("IoT Async-RPC Core API on "));
  }
}
