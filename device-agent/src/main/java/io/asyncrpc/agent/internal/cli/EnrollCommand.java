package io.asyncrpc.agent.internal.cli;

import io.asyncrpc.agent.EnrolledDevice;
import io.asyncrpc.agent.internal.enroll.Enroller;
import io.asyncrpc.protocol.DeviceId;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar device-agent-cli.jar enroll --device-id ID --token T --ca-url URL --out DIR}:
 * makes the device's key pair, trades a CSR and the one-time token at ca-service for the device
 * certificate and stores key, certificate and CA chain in DIR.
 */
final class EnrollCommand {

  static final String USAGE =
      """
      Usage: java -jar device-agent-cli.jar enroll --device-id ID --token TOKEN [options]

      Gets this device its certificate: makes an EC P-256 key pair here (the private key never
      leaves the device), sends a CSR with the one-time enrollment token to ca-service and stores
      DIR/device.key (PKCS#8 PEM, owner-only), DIR/device.pem and DIR/chain.pem (device CA, root).

      Options (environment variable in brackets):
        --device-id ID     device id = certificate CN, [A-Za-z0-9_-]{1,64} (IOTCORE_DEVICE_ID)
        --token TOKEN      one-time enrollment token from ca-service (IOTCORE_ENROLLMENT_TOKEN)
        --ca-url URL       ca-service base URL, default http://127.0.0.1:8082 (IOTCORE_CA_URL)
        --out DIR          where to store the files, default the current directory
        --help             show this help
      """;

  private EnrollCommand() {}

  /** Runs the command; returns the process exit code (0 enrolled, 1 refused or failed, 2 usage). */
  static int run(String[] args, Function<String, @Nullable String> env) {
    return run(args, env, System.out, System.err);
  }

  static int run(
      String[] args, Function<String, @Nullable String> env, PrintStream out, PrintStream err) {
    String deviceId = env.apply("IOTCORE_DEVICE_ID");
    String token = env.apply("IOTCORE_ENROLLMENT_TOKEN");
    String caUrl = env.apply("IOTCORE_CA_URL");
    String outDir = ".";
    try {
      Arguments arguments = new Arguments(args);
      while (arguments.next()) {
        String option = arguments.option();
        switch (option) {
          case "--help", "-h" -> {
            arguments.flag();
            out.print(USAGE);
            return 0;
          }
          case "--device-id" -> deviceId = arguments.value();
          case "--token" -> token = arguments.value();
          case "--ca-url" -> caUrl = arguments.value();
          case "--out" -> outDir = arguments.value();
          default -> throw new IllegalArgumentException("unknown option " + option);
        }
      }
      if (deviceId == null || deviceId.isBlank()) {
        throw new IllegalArgumentException("--device-id (or IOTCORE_DEVICE_ID) is required");
      }
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("--token (or IOTCORE_ENROLLMENT_TOKEN) is required");
      }
      DeviceId id = new DeviceId(deviceId);
      URI url = URI.create(caUrl == null || caUrl.isBlank() ? "http://127.0.0.1:8082" : caUrl);
      if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
        throw new IllegalArgumentException("--ca-url: not an http(s) URL: " + caUrl);
      }
      EnrolledDevice device =
          new Enroller(Duration.ofSeconds(30)).enroll(url, id, token, Path.of(outDir));
      out.println(
          "enrolled "
              + device.deviceId()
              + " serial="
              + device.serial()
              + " not_after="
              + device.notAfter());
      out.println("key         " + device.privateKey());
      out.println("certificate " + device.certificate());
      out.println("chain       " + device.chain());
      out.println(
          "run: java -jar device-agent-cli.jar --device-id "
              + device.deviceId()
              + " --host HOST --cert "
              + device.certificate()
              + " --key "
              + device.privateKey()
              + " --ca "
              + device.chain());
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println();
      err.print(USAGE);
      return 2;
    } catch (IOException e) {
      err.println("error: enrollment failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return 1;
    }
  }
}
