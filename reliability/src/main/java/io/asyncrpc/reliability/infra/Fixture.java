package io.asyncrpc.reliability.infra;

import io.asyncrpc.testsupport.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The suite's own PostgreSQL cluster and RabbitMQ nodes, through {@code scripts/faults fixture}:
 * the shell library owns how they run, this class only says when.
 */
public final class Fixture {

  private final Path script = RepositoryFiles.find("scripts/faults");
  private final Path log;
  private final Map<String, String> env;

  public Fixture(Path logDir) {
    this.log = logDir.resolve("fixture.log");
    this.env = parse(run("env"));
  }

  /**
   * Takes the machine-wide lock of the suite's infrastructure, waiting for a run in another JVM to
   * finish: two runs would stop each other's database and nodes. Released when the JVM exits or the
   * returned lock is closed.
   */
  public static java.nio.channels.FileLock exclusive() {
    String home = System.getenv("IOTCORE_HOME");
    Path dir =
        home == null || home.isBlank()
            ? Path.of(System.getProperty("user.home"), ".cache", "iot-core")
            : Path.of(home);
    try {
      Files.createDirectories(dir);
      java.nio.channels.FileChannel channel =
          java.nio.channels.FileChannel.open(
              dir.resolve("faults.lock"),
              java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.WRITE);
      return channel.lock();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether this machine can run the fixture: root (chroot) and the stack's RabbitMQ root. */
  public static boolean available() {
    return "root".equals(System.getProperty("user.name"));
  }

  public String jdbcUrl() {
    return setting("PG_URL");
  }

  public String dbUser() {
    return setting("PG_USER");
  }

  public String dbPassword() {
    return setting("PG_PASSWORD");
  }

  public String amqpUser() {
    return setting("AMQP_USER");
  }

  public String amqpPassword() {
    return setting("AMQP_PASSWORD");
  }

  public String deviceUser() {
    return setting("DEVICE_USER");
  }

  public String devicePassword() {
    return setting("DEVICE_PASSWORD");
  }

  // Every name above is one scripts/faults env prints; a missing one is a broken script.
  private String setting(String name) {
    return Objects.requireNonNull(env.get(name), () -> "scripts/faults env printed no " + name);
  }

  /** The AMQP port of node {@code i} (1-based). */
  public int amqpPort(int i) {
    return Integer.parseInt(env.get("AMQP_PORT_" + i));
  }

  /** The MQTT port of node {@code i} (1-based). */
  public int mqttPort(int i) {
    return Integer.parseInt(env.get("MQTT_PORT_" + i));
  }

  /** Starts the database with a fresh, empty {@code iotcore} database. */
  public void freshDatabase() {
    run("pg-fresh");
  }

  public void startDatabase() {
    run("pg-start");
  }

  /** {@code pg_ctl stop -m immediate}: every connection cut, crash recovery at the next start. */
  public void stopDatabaseImmediately() {
    run("pg-stop-immediate");
  }

  /** Starts nodes 1..{@code n} from the definitions; more than one form a cluster. */
  public void startBroker(int n) {
    run("rmq-up", Integer.toString(n));
  }

  public void startNode(int i) {
    run("rmq-start", Integer.toString(i));
  }

  /** A clean stop of node {@code i} ({@code rabbitmqctl stop}). */
  public void stopNode(int i) {
    run("rmq-stop", Integer.toString(i));
  }

  /** {@code kill -9} of node {@code i}'s Erlang VM. */
  public void killNode(int i) {
    run("rmq-kill", Integer.toString(i));
  }

  /** Stops every node (deleting their data) and the database. */
  public void down() {
    run("down");
  }

  private String run(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString(), "fixture"));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(log.getParent());
      Path out = Files.createTempFile(log.getParent(), "fixture", ".out");
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("fixture " + String.join(" ", args) + " hangs; see " + log);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.delete(out);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "fixture " + String.join(" ", args) + " failed; see " + log.toAbsolutePath());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parse(String text) {
    Map<String, String> values = new HashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1).trim());
      }
    }
    return values;
  }
}
