package io.asyncrpc.systemtests.edge;

import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.RepositoryFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An nginx of its own for a test: the project's template rendered by {@code scripts/lib/nginx.sh
 * render} with the test's ports, certificate and JWT key, run in the foreground as a child process.
 */
final class EdgeProcess implements AutoCloseable {

  private final Process process;
  private final Path dir;

  private EdgeProcess(Process process, Path dir) {
    this.process = process;
    this.dir = dir;
  }

  /**
   * Renders the configuration into {@code dir} with {@code settings} (the {@code IOTCORE_NGINX_*}
   * variables of nginx.sh) and starts nginx on it; returns once it accepts connections on {@code
   * port}.
   */
  static EdgeProcess start(Path dir, int port, Map<String, String> settings) {
    Path script = RepositoryFiles.find("scripts/lib/nginx.sh");
    run(dir, settings, List.of("bash", script.toString(), "render", dir.toString()));
    Path conf = dir.resolve("nginx.conf");
    List<String> command = new ArrayList<>(List.of("nginx", "-p", dir.toString(), "-c"));
    command.addAll(
        List.of(
            conf.toString(), "-e", dir.resolve("logs/error.log").toString(), "-g", "daemon off;"));
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("logs/nginx.out").toFile())
              .start();
      EdgeProcess edge = new EdgeProcess(process, dir);
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .failFast(() -> !process.isAlive())
          .until(() -> accepts(port));
      return edge;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run nginx: install nginx-light and libnginx-mod-http-js (scripts/stack infra does)",
          e);
    }
  }

  String errorLog() {
    try {
      return Files.readString(dir.resolve("logs/error.log"));
    } catch (IOException e) {
      return "(no error log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void run(Path dir, Map<String, String> settings, List<String> command) {
    try {
      Files.createDirectories(dir);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("render.out").toFile());
      builder.environment().putAll(settings);
      Process process = builder.start();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed:\n" + Files.readString(dir.resolve("render.out")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (InterruptedIOException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
