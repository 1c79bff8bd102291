package io.asyncrpc.agent;

import java.nio.file.Path;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What an enrollment stored: pass {@code certificate} and {@code privateKey} to {@link
 * DeviceAgentBuilder#tlsFromPem}, with the broker's trust bundle (the last certificate of {@code
 * chain} is the same root).
 *
 * @param deviceId the device id, the certificate's CN
 * @param privateKey the device's private key (PKCS#8 PEM, owner-only)
 * @param certificate the device certificate (PEM)
 * @param chain the device CA then the root (PEM)
 * @param serial the certificate's serial number (hex), as ca-service reports it
 * @param notAfter the end of the certificate's validity, or {@code null} if not reported
 */
public record EnrolledDevice(
    String deviceId,
    Path privateKey,
    Path certificate,
    Path chain,
    String serial,
    @Nullable Instant notAfter) {}
