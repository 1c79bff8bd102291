package io.asyncrpc.testsupport.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link ServiceProcess} and {@link ServiceJar}, with a jar this test packages. */
class ServiceProcessTests {

  @TempDir Path root;

  @Test
  void startsAwaitsKillsAndRestartsAJarWithOneLogForAllItsLives() throws IOException {
    packageFakeService(root.resolve("fake-service/target/fake-service-0.1.0-SNAPSHOT.jar"));
    int port = ServiceProcess.freePort();

    try (ServiceProcess service =
        ServiceProcess.of("fake-service")
            .jarsFrom(root)
            .logDir(root.resolve("logs"))
            .args(Integer.toString(port))
            .start()
            .awaitHealthy(port, Duration.ofSeconds(30))) {
      assertThat(service.alive()).isTrue();
      service.kill();
      assertThat(service.alive()).isFalse();

      service.start().awaitHealthy(port, Duration.ofSeconds(30));

      assertThat(service.logText().split("---- start", -1)).hasSize(3);
      assertThat(service.logText()).contains("fake up on " + port);
    }
  }

  @Test
  void failsWithTheLogWhenTheProcessExitsDuringStart() throws IOException {
    packageFakeService(root.resolve("fake-service/target/fake-service-0.1.0-SNAPSHOT.jar"));

    try (ServiceProcess service =
        ServiceProcess.of("fake-service")
            .jarsFrom(root)
            .logDir(root.resolve("logs"))
            .args("not-a-port")
            .start()) {
      assertThatThrownBy(() -> service.awaitHealthy(1, Duration.ofSeconds(30)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("fake-service exited during start")
          .hasMessageContaining("NumberFormatException");
    }
  }

  @Test
  void picksTheRunnableJarOfAModuleByItsClassifier() throws IOException {
    Path target = Files.createDirectories(root.resolve("device-agent/target"));
    for (String file :
        new String[] {
          "device-agent-0.1.0-SNAPSHOT.jar",
          "device-agent-0.1.0-SNAPSHOT-cli.jar",
          "original-device-agent-0.1.0-SNAPSHOT.jar",
          "device-agent-0.1.0-SNAPSHOT-sources.jar",
          "device-agent-0.1.0-SNAPSHOT-plain.jar"
        }) {
      Files.createFile(target.resolve(file));
    }

    assertThat(ServiceJar.find(root, "device-agent", null).getFileName())
        .hasToString("device-agent-0.1.0-SNAPSHOT.jar");
    assertThat(ServiceJar.find(root, "device-agent", "cli").getFileName())
        .hasToString("device-agent-0.1.0-SNAPSHOT-cli.jar");
    assertThatThrownBy(() -> ServiceJar.find(root, "device-agent", "shaded"))
        .hasMessageContaining("package device-agent first");
  }

  /** A jar whose main class is {@link FakeService}. */
  private static void packageFakeService(Path jar) throws IOException {
    Files.createDirectories(jar.getParent());
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
    String entry = FakeService.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
  }

  /** A service in miniature: answers 200 on {@code /actuator/health} at the port it is given. */
  public static final class FakeService {

    private FakeService() {}

    public static void main(String[] args) throws IOException {
      int port = Integer.parseInt(args[0]);
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      server.createContext(
          "/actuator/health",
          exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      System.out.println("fake up on " + port);
    }
  }
}
