package io.asyncrpc.testsupport.process;

import io.asyncrpc.testsupport.Endpoints;
import io.asyncrpc.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A packaged jar of this repository (see {@link ServiceJar}) running as its own process on the
 * test's JDK, with its output in a log file. It can be killed ({@code SIGKILL}) and started again
 * with the same command line; every life appends to the same log, behind a {@code ---- start} line.
 *
 * <p>{@code ServiceProcess.of("core-service").args(...).start().awaitHealthy(port, timeout)}.
 */
public final class ServiceProcess implements AutoCloseable {

  /** How long a service may take to become healthy: minutes on a busy two-core machine. */
  public static final Duration STARTUP = Duration.ofSeconds(120);

  /** The JVM options when none are given: small, as the services run side by side on a laptop. */
  public static final List<String> DEFAULT_JVM = List.of("-Xmx256m");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final List<String> command;
  private final Path log;
  private final int healthPort;
  private @Nullable Process process;
  private boolean started;

  private ServiceProcess(String name, List<String> command, Path log, int healthPort) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
    this.healthPort = healthPort;
  }

  /** A process of {@code module}'s runnable jar, to be configured and started. */
  public static Builder of(String module) {
    return new Builder(module);
  }

  public String name() {
    return name;
  }

  /**
   * Starts the process (again, after {@link #kill()} or {@link #close()}); the first start of this
   * object begins a fresh log, a restart appends to it.
   */
  public synchronized ServiceProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is running already");
    }
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log,
          "---- start " + Instant.now() + "\n",
          StandardOpenOption.CREATE,
          started ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      started = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    return this;
  }

  /** {@link #awaitHealthy(Duration)} for {@link #STARTUP}. */
  public ServiceProcess awaitHealthy() {
    return awaitHealthy(STARTUP);
  }

  /** {@link #awaitHealthy(int, Duration)} on the port given by {@link Builder#port(int)}. */
  public ServiceProcess awaitHealthy(Duration timeout) {
    if (healthPort <= 0) {
      throw new IllegalStateException(name + " was built without its port");
    }
    return awaitHealthy(healthPort, timeout);
  }

  /** {@link #awaitHealthy(String, Duration)} on {@code http://127.0.0.1:<port>/actuator/health}. */
  public ServiceProcess awaitHealthy(int port, Duration timeout) {
    return awaitHealthy("http://127.0.0.1:" + port + "/actuator/health", timeout);
  }

  /**
   * Waits until {@code healthUrl} answers 200; fails with the tail of the log when the process
   * exits first or {@code timeout} passes.
   */
  public ServiceProcess awaitHealthy(String healthUrl, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!alive()) {
        throw new IllegalStateException(
            name + " exited during start; " + log.toAbsolutePath() + ":\n" + logTail());
      }
      if (answers200(healthUrl)) {
        return this;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + name + " started", e);
      }
    }
    throw new IllegalStateException(
        name + " not healthy in " + timeout + "; " + log.toAbsolutePath() + ":\n" + logTail());
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    return process.pid();
  }

  /** The resident set size of the process, in bytes (0 where /proc is not readable). */
  public long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** Everything the process (in all its lives) wrote. */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** The last 6000 characters of the log. */
  public String logTail() {
    String text = logText();
    return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
  }

  /** {@code kill -9}: the JVM gets no chance to finish anything. */
  public synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly(); // SIGKILL on Linux
      awaitExit();
    }
  }

  /** A graceful stop (SIGTERM), forced after 30 s. */
  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      awaitExit();
    }
  }

  /** A port free on this machine now, for a service to listen on. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitExit() {
    Process running = process;
    if (running == null) {
      return;
    }
    try {
      if (!running.waitFor(30, TimeUnit.SECONDS)) {
        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.destroyForcibly();
    }
  }

  private static boolean answers200(String url) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The java of this JVM, so the processes run on the same JDK. */
  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** How a {@link ServiceProcess} is started. */
  public static final class Builder {

    private final String module;
    private String name;
    private @Nullable String classifier;
    private @Nullable Path jarRoot;
    private @Nullable Path jar;
    private List<String> jvm = DEFAULT_JVM;
    private final List<String> args = new ArrayList<>();
    private Path logDir = Path.of("target", "processes");
    private boolean copyJar;
    private int port;

    private Builder(String module) {
      this.module = module;
      this.name = module;
    }

    /** The name of the process and of its log file; the module's name by default. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The runnable jar has this classifier ({@code cli} for the agent and the swarm). */
    public Builder classifier(String classifier) {
      this.classifier = classifier;
      return this;
    }

    /** Takes the jar from the build in {@code root} rather than this working tree. */
    public Builder jarsFrom(Path root) {
      this.jarRoot = root;
      return this;
    }

    /** Runs exactly this jar file, not one {@link ServiceJar} picks. */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /** The JVM options, in place of {@link #DEFAULT_JVM}. */
    public Builder jvm(List<String> options) {
      this.jvm = List.copyOf(options);
      return this;
    }

    /**
     * The HTTP port the service listens on: passed as {@code --server.port} (first, so later
     * arguments may not contradict it) and where {@link #awaitHealthy(Duration)} asks.
     */
    public Builder port(int port) {
      this.port = port;
      args.addFirst("--server.port=" + port);
      return this;
    }

    /** Points the service at this database and broker ({@link Endpoints#springArgs()}). */
    public Builder against(Endpoints endpoints) {
      return args(endpoints.springArgs());
    }

    /**
     * Makes api-service (or mcp-server) trust the tokens of {@link TestTokens#shared()}, which the
     * suites' API clients sign with.
     */
    public Builder trustingTestTokens() {
      return args("--iot.security.jwk-set-uri=" + TestTokens.shared().jwkSetUri());
    }

    /** Program arguments, appended to those given before. */
    public Builder args(List<String> more) {
      args.addAll(more);
      return this;
    }

    /** Program arguments, appended to those given before. */
    public Builder args(String... more) {
      return args(List.of(more));
    }

    /** Where the log ({@code <name>.log}) goes; {@code target/processes} by default. */
    public Builder logDir(Path dir) {
      this.logDir = dir;
      return this;
    }

    /**
     * Runs a copy of the jar in the log folder, so that a rebuild of the module during a long run
     * does not pull the jar from under the process.
     */
    public Builder copyJar() {
      this.copyJar = true;
      return this;
    }

    /** The process, not started yet. */
    public ServiceProcess build() {
      Path runnable =
          jar != null
              ? jar
              : ServiceJar.find(
                  jarRoot == null ? ServiceJar.repositoryRoot() : jarRoot, module, classifier);
      if (copyJar) {
        try {
          Files.createDirectories(logDir);
          runnable =
              Files.copy(
                  runnable, logDir.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot copy " + runnable, e);
        }
      }
      List<String> command = new ArrayList<>();
      command.add(javaExecutable());
      command.addAll(jvm);
      command.add("-jar");
      command.add(runnable.toString());
      command.addAll(args);
      return new ServiceProcess(name, command, logDir.resolve(name + ".log"), port);
    }

    /** The process, started (not awaited). */
    public ServiceProcess start() {
      return build().start();
    }
  }
}
