package io.asyncrpc.reliability.infra;

import io.asyncrpc.testsupport.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance of a packaged service (api-service or core-service) that the suite can kill with
 * {@code SIGKILL} and start again with the same arguments; every life appends to one log file.
 */
public final class ServiceNode implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final List<String> command;
  private final Path log;
  private final String healthUrl;
  private Process process;

  /**
   * An instance named {@code name} of {@code module}'s executable jar, listening on {@code port},
   * started with {@code args}; not started yet.
   */
  public ServiceNode(String name, String module, int port, List<String> args, Path logDir) {
    this.name = name;
    this.log = logDir.resolve(name + ".log");
    this.healthUrl = "http://127.0.0.1:" + port + "/actuator/health";
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add(
        "-XX:TieredStopAtLevel=1"); // starts faster on two cores; the suite is not a benchmark
    command.add("-jar");
    command.add(jar(module).toString());
    command.add("--server.port=" + port);
    command.addAll(args);
    this.command = List.copyOf(command);
  }

  public String name() {
    return name;
  }

  /** Starts the process and waits until its health endpoint answers 200. */
  public synchronized ServiceNode start() {
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "---- start " + Instant.now() + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    awaitHealthy(Duration.ofSeconds(120));
    return this;
  }

  /** {@code kill -9}: the JVM gets no chance to finish anything. */
  public synchronized void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly(); // SIGKILL on Linux
      await(process);
    }
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** A graceful stop (SIGTERM). */
  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      await(process);
    }
  }

  private void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited during start; see " + log.toAbsolutePath());
      }
      if (answers200()) {
        return;
      }
      sleep(250);
    }
    throw new IllegalStateException(name + " not healthy in " + timeout + "; see " + log);
  }

  private boolean answers200() {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(healthUrl))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
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

  private static void await(Process process) {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The module's jar in its {@code target} folder; system property {@code iot.faults.jar-root}
   * names another checkout to take the jars from (to test a build other than the working tree's).
   */
  private static Path jar(String module) {
    String root = System.getProperty("iot.faults.jar-root", "");
    Path target =
        (root.isBlank() ? RepositoryFiles.find(module) : Path.of(root, module)).resolve("target");
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*.jar")) {
      for (Path jar : jars) {
        String file = jar.getFileName().toString();
        if (!file.endsWith("-sources.jar") && !file.endsWith("-plain.jar")) {
          return jar;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + module + " jar in " + target + ": package " + module);
  }
}
