package io.asyncrpc.systemtests;

import static org.awaitility.Awaitility.await;

import io.asyncrpc.testsupport.RepositoryFiles;
import io.asyncrpc.testsupport.TestTokens;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A packaged jar of this repository running as its own process, with its log in a file. */
public final class ServiceProcess implements AutoCloseable {

  private static final String JWK_SET_URI = "iot.security.jwk-set-uri";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts the jar matching {@code glob} in {@code module/target} with {@code args}. api-service
   * checks JWTs: unless {@code args} name {@code --iot.security.jwk-set-uri}, it trusts the key of
   * {@link TestTokens#shared()}, which {@link ApiClient} signs its tokens with.
   */
  public static ServiceProcess start(String name, String module, String glob, List<String> args) {
    Path jar = findJar(module, glob);
    if ("api-service".equals(module)
        && args.stream().noneMatch(a -> a.startsWith("--" + JWK_SET_URI + "="))) {
      args = new ArrayList<>(args);
      args.add("--" + JWK_SET_URI + "=" + TestTokens.shared().jwkSetUri());
    }
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    try {
      Path logDir = Files.createDirectories(Path.of("target", "system-tests"));
      Path log = logDir.resolve(name + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new ServiceProcess(name, process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Waits until {@code healthUrl} answers 200, or fails with the tail of the log. */
  public ServiceProcess awaitHealthy(String healthUrl) {
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> alive() && answers200(healthUrl));
    } catch (RuntimeException e) {
      throw new IllegalStateException(name + " did not become healthy:\n" + logTail(), e);
    }
    return this;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  public String logTail() {
    String text = logText();
    return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
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
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Path findJar(String module, String glob) {
    Path target = RepositoryFiles.find(module).resolve("target");
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, glob)) {
      for (Path jar : jars) {
        return jar;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + glob + " in " + target + ": package " + module);
  }

  /** The java of this test JVM, so the processes run on the same JDK. */
  private static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
