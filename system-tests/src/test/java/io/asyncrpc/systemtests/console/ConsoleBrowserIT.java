package io.asyncrpc.systemtests.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncrpc.systemtests.AgentCli;
import io.asyncrpc.systemtests.CaService;
import io.asyncrpc.systemtests.edge.TestEdge;
import io.asyncrpc.systemtests.security.TestPki;
import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.Infrastructure;
import io.asyncrpc.testsupport.RepositoryFiles;
import io.asyncrpc.testsupport.process.ServiceJar;
import io.asyncrpc.testsupport.process.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

/**
 * Verifies the web console the way an operator meets it: {@code node --test} runs the browser tests
 * of {@code console/test} (playwright-core driving Debian's chromium, headless) against the edge
 * (nginx serving the console's files at {@code /console/}), ca-service as the token service,
 * api-service and core-service as processes on the real PostgreSQL and RabbitMQ, and real devices
 * that the tests start when they need them (the device agent's and the swarm's CLIs). Passes only
 * when every browser test ran and passed.
 *
 * <p>Tokens live {@value #TOKEN_TTL_SECONDS} s and the edge allows no leeway, so the expiry test
 * waits one token's life, not fifteen minutes.
 */
class ConsoleBrowserIT {

  private static final String CLIENT = "console-tests";
  private static final int TOKEN_TTL_SECONDS = 60;
  private static final Duration RUN = Duration.ofMinutes(15);
  private static final Pattern COUNT = Pattern.compile("^ℹ (tests|pass|fail) (\\d+)$");

  private static final List<ServiceProcess> PROCESSES = new ArrayList<>();
  private static Path chromium;
  private static Path consoleDir;
  private static Path workDir;
  private static TestEdge edge;
  private static String secret;

  @BeforeAll
  static void startTheStack() throws IOException {
    chromium = Path.of(System.getenv().getOrDefault("IOTCORE_CHROMIUM", "/usr/bin/chromium"));
    assertThat(Files.isExecutable(chromium))
        .as(
            "the console's browser tests need Debian's chromium at %s: apt-get install -y chromium"
                + " (.ci/run installs it), or set IOTCORE_CHROMIUM",
            chromium)
        .isTrue();
    consoleDir = RepositoryFiles.find("console/package.json").getParent();
    assertThat(consoleDir.resolve("dist/index.html"))
        .as("the console is not built: ./mvnw -B package -pl console (npm ci, npm run build)")
        .exists();
    assertThat(consoleDir.resolve("node_modules/playwright-core/package.json"))
        .as("playwright-core is not installed: ./mvnw -B package -pl console (npm ci)")
        .exists();
    workDir =
        Files.createDirectories(Path.of("target", "system-tests", "console")).toAbsolutePath();

    Endpoints endpoints = Infrastructure.endpoints();
    int caPort = ServiceProcess.freePort();
    int apiPort = ServiceProcess.freePort();
    secret = UUID.randomUUID().toString();
    PROCESSES.add(
        CaService.start(
            "console-ca-service",
            caPort,
            CLIENT,
            secret,
            "--iot.ca.token.ttl=" + TOKEN_TTL_SECONDS + "s"));
    // Started together, awaited after: two JVMs start faster side by side than in a row.
    List<ServiceProcess> services =
        List.of(
            start(
                ServiceProcess.of("api-service")
                    .name("console-api-service")
                    .port(apiPort)
                    .against(endpoints)
                    .args(
                        "--iot.security.jwk-set-uri=http://127.0.0.1:"
                            + caPort
                            + "/.well-known/jwks.json",
                        // The tests' webhook receiver listens on loopback, as on the local stack.
                        "--iot.webhooks.allow-private-targets=true")),
            start(
                ServiceProcess.of("core-service")
                    .name("console-core-service")
                    .port(ServiceProcess.freePort())
                    .against(endpoints)));
    services.forEach(ServiceProcess::awaitHealthy);
    edge =
        TestEdge.inFrontOf(
            "edge-console",
            apiPort,
            Map.of(
                "IOTCORE_NGINX_CA_UPSTREAM",
                "127.0.0.1:" + caPort,
                "IOTCORE_NGINX_JWT_KEYS",
                TestPki.directory().resolve("jwt-signing.pub.pem").toString(),
                "IOTCORE_NGINX_LEEWAY",
                "0",
                "IOTCORE_NGINX_CONSOLE_DIR",
                consoleDir.resolve("dist").toString()));
  }

  @AfterAll
  static void stopTheStack() {
    if (edge != null) {
      edge.close();
    }
    PROCESSES.reversed().forEach(ServiceProcess::close);
  }

  @Test
  void everyBrowserTestOfTheConsolePasses() throws Exception {
    Path log = workDir.resolve("browser-tests.log");
    List<String> command =
        new ArrayList<>(List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec"));
    try (Stream<Path> files = Files.list(consoleDir.resolve("test"))) {
      files
          .map(file -> "test/" + file.getFileName())
          .filter(name -> name.endsWith(".test.mjs"))
          // -Dconsole.tests=swagger runs the files whose name has that in it (all by default)
          .filter(name -> name.contains(System.getProperty("console.tests", "")))
          .sorted()
          .forEach(command::add);
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(consoleDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(settings());
    Process node = builder.start();
    boolean ended;
    try {
      ended = node.waitFor(RUN.toSeconds(), TimeUnit.SECONDS);
    } finally {
      // Devices a test started and could not stop must not outlive the run.
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
    }
    String output = Files.readString(log);
    String tail = output.length() > 20_000 ? output.substring(output.length() - 20_000) : output;
    assertThat(ended).as("the browser tests did not end within %s:%n%s", RUN, tail).isTrue();
    Map<String, Integer> counts = counts(output);
    assertThat(node.exitValue())
        .as("the browser tests failed (%s; devices' logs in %s):%n%s", counts, workDir, tail)
        .isZero();
    assertThat(counts.get("tests")).as("browser tests run").isPositive();
    assertThat(counts.get("pass")).as("browser tests passed").isEqualTo(counts.get("tests"));
    assertThat(counts.get("fail")).isZero();
  }

  private static Map<String, String> settings() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> mqtt = AgentCli.brokerArgs();
    List<String> agent = new ArrayList<>(List.of(java, "-Xmx128m", "-jar", jar("device-agent")));
    agent.addAll(mqtt);
    agent.addAll(List.of("--poll-interval", "2s"));
    List<String> swarm = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar("swarm")));
    swarm.addAll(mqtt);
    ObjectMapper json = new ObjectMapper();
    Map<String, String> settings = new HashMap<>();
    settings.put("CONSOLE_URL", edge.baseUrl() + "/console/");
    settings.put("CONSOLE_CLIENT_ID", CLIENT);
    settings.put("CONSOLE_CLIENT_SECRET", secret);
    settings.put("CONSOLE_CHROMIUM", chromium.toString());
    settings.put("CONSOLE_EXPIRY_GRACE_S", "2");
    settings.put("CONSOLE_AGENT_COMMAND", json.writeValueAsString(agent));
    settings.put("CONSOLE_SWARM_COMMAND", json.writeValueAsString(swarm));
    settings.put("CONSOLE_LOG_DIR", workDir.resolve("devices").toString());
    settings.put("CONSOLE_SCREENSHOTS", workDir.resolve("screenshots").toString());
    // Node's own fetch (the tests' fixtures) trusts the edge's test certificate.
    settings.put("NODE_EXTRA_CA_CERTS", edge.certificate().toString());
    return settings;
  }

  private static String jar(String module) {
    return ServiceJar.find(ServiceJar.repositoryRoot(), module, "cli").toString();
  }

  private static Map<String, Integer> counts(String output) {
    Map<String, Integer> counts = new HashMap<>(Map.of("tests", 0, "pass", 0, "fail", 0));
    for (String line : output.split("\n")) {
      Matcher matcher = COUNT.matcher(line.strip());
      if (matcher.matches()) {
        counts.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
      }
    }
    return counts;
  }

  private static ServiceProcess start(ServiceProcess.Builder builder) {
    ServiceProcess process = builder.start();
    PROCESSES.add(process);
    return process;
  }
}
