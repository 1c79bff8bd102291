package io.asyncrpc.agent;

import io.asyncrpc.agent.internal.enroll.Enroller;
import io.asyncrpc.protocol.DeviceId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Gets a device its certificate from ca-service: the key pair is made here (EC P-256) and never
 * leaves the device; a CSR and a one-time enrollment token go to {@code POST <caUrl>/enroll}.
 *
 * <p>Writes {@code device.key} (PKCS#8 PEM, owner-only), {@code device.pem} and {@code chain.pem}
 * into {@code outDir}, only once the certificate was issued.
 */
public final class DeviceEnrollment {

  private DeviceEnrollment() {}

  /**
   * Enrolls {@code deviceId} with {@code token} at {@code caUrl} (e.g. {@code
   * http://127.0.0.1:8082}).
   *
   * @throws IOException when ca-service refuses (the message carries its reason), cannot be
   *     reached, or the files cannot be written
   */
  public static EnrolledDevice enroll(URI caUrl, String deviceId, String token, Path outDir)
      throws IOException, InterruptedException {
    return new Enroller(Duration.ofSeconds(30))
        .enroll(caUrl, new DeviceId(deviceId), token, outDir);
  }
}
