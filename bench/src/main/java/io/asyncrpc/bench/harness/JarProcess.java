package io.asyncrpc.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service jar of this repository running as its own process on the benchmark's JDK, with
 * its output in a log file, so the services are measured as they are deployed.
 */
public final class JarProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private JarProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code <module>/target/<module>-*.jar} (the Spring Boot jar, not a plain or sources jar)
   * with JVM options {@code jvm} and program arguments {@code args}; its log goes to {@code
   * logDir}.
   */
  public static JarProcess start(
      Path repository, String module, List<String> jvm, List<String> args, Path logDir) {
    Path built = findJar(repository.resolve(module).resolve("target"), module);
    Path jar;
    try {
      // A copy: a rebuild of the module during the run must not pull the jar from under it.
      Files.createDirectories(logDir);
      jar = Files.copy(built, logDir.resolve(module + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + built, e);
    }
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvm);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    try {
      Path log = logDir.resolve(module + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new JarProcess(module, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + module, e);
    }
  }

  /** Waits until {@code healthUrl} answers 200, or fails with the tail of the log. */
  public JarProcess awaitHealthy(String healthUrl, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        break;
      }
      if (answers200(healthUrl)) {
        return this;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " did not become healthy:\n" + logTail());
  }

  public long pid() {
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

  public String logTail() {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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

  private static Path findJar(Path target, String module) {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, module + "-*.jar")) {
      for (Path jar : jars) {
        String file = jar.getFileName().toString();
        if (!file.endsWith("-plain.jar") && !file.endsWith("-sources.jar")) {
          return jar;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("no " + target + ": package " + module + " first", e);
    }
    throw new IllegalStateException("no " + module + " jar in " + target + ": package it first");
  }

  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
