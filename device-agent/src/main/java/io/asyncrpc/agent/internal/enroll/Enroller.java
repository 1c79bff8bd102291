package io.asyncrpc.agent.internal.enroll;

import io.asyncrpc.agent.EnrolledDevice;
import io.asyncrpc.agent.internal.Json;
import io.asyncrpc.agent.internal.tls.PemFiles;
import io.asyncrpc.protocol.DeviceId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Enrolls a device at ca-service: makes the key pair here (the private key never leaves the
 * device), sends {@code POST <ca-url>/enroll {"token", "csr"}} and stores what comes back.
 *
 * <p>Files in the output directory: {@code device.key} (PKCS#8 PEM, owner-only on POSIX file
 * systems), {@code device.pem} (the device certificate), {@code chain.pem} (device CA then root:
 * its last certificate is the root the broker's certificate chains to). Nothing is written unless
 * the certificate was issued; existing files are replaced.
 */
public final class Enroller {

  /** Names of the files {@link #enroll} writes. */
  public static final String KEY_FILE = "device.key";

  public static final String CERTIFICATE_FILE = "device.pem";
  public static final String CHAIN_FILE = "chain.pem";

  private final HttpClient http;
  private final Duration timeout;

  /** An enroller with its own HTTP client and a per-request timeout. */
  public Enroller(Duration timeout) {
    this.timeout = timeout;
    // HTTP/1.1: no h2c upgrade attempt, which some proxies and servers in front of ca-service
    // refuse.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
  }

  /**
   * Enrolls {@code deviceId} with a one-time {@code token}.
   *
   * @param caUrl ca-service's base URL, e.g. {@code http://127.0.0.1:8082}
   * @throws EnrollmentException when ca-service refuses (its problem detail is in the message) or
   *     answers something that is no certificate for this key
   * @throws IOException when ca-service cannot be reached or the files cannot be written
   */
  public EnrolledDevice enroll(URI caUrl, DeviceId deviceId, String token, Path outDir)
      throws IOException, InterruptedException {
    KeyPair keyPair = CsrFactory.newKeyPair();
    String csr = CsrFactory.pem(CsrFactory.csr(deviceId, keyPair));
    var body = Json.MAPPER.createObjectNode();
    body.put("token", token);
    body.put("csr", csr);
    HttpRequest request =
        HttpRequest.newBuilder(enrollUri(caUrl))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, application/problem+json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
            .build();
    HttpResponse<String> response =
        http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    JsonNode answer = parse(response);
    if (response.statusCode() / 100 != 2) {
      throw new EnrollmentException(
          "ca-service refused the enrollment (HTTP "
              + response.statusCode()
              + "): "
              + problem(answer, response.body()));
    }
    String certificate = text(answer, "certificate");
    String chain = text(answer, "chain");
    Files.createDirectories(outDir);
    Path certificateFile = outDir.resolve(CERTIFICATE_FILE);
    Path chainFile = outDir.resolve(CHAIN_FILE);
    Path keyFile = outDir.resolve(KEY_FILE);
    // Check before writing: the certificate must be for the key made here.
    Path check = Files.createTempFile(outDir, ".device-", ".pem");
    try {
      Files.writeString(check, certificate, StandardCharsets.US_ASCII);
      if (!PemFiles.certificates(check).getFirst().getPublicKey().equals(keyPair.getPublic())) {
        throw new EnrollmentException("ca-service returned a certificate for another key");
      }
    } finally {
      Files.deleteIfExists(check);
    }
    writePrivate(keyFile, PemFiles.pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()));
    writePublic(certificateFile, certificate);
    writePublic(chainFile, chain);
    return new EnrolledDevice(
        deviceId.value(),
        keyFile,
        certificateFile,
        chainFile,
        answer.path("serial").asString(""),
        notAfter(answer));
  }

  private static URI enrollUri(URI caUrl) {
    String base = caUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + "enroll");
  }

  private static JsonNode parse(HttpResponse<String> response) throws EnrollmentException {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (JacksonException e) {
      throw new EnrollmentException(
          "ca-service answered HTTP "
              + response.statusCode()
              + " without JSON: "
              + abbreviate(response.body()));
    }
  }

  private static String problem(JsonNode answer, String raw) {
    String detail = answer.path("detail").asString("");
    String title = answer.path("title").asString("");
    if (!detail.isEmpty()) {
      return title.isEmpty() ? detail : title + ": " + detail;
    }
    return title.isEmpty() ? abbreviate(raw) : title;
  }

  private static String text(JsonNode answer, String field) throws EnrollmentException {
    String value = answer.path(field).asString("");
    if (value.isBlank()) {
      throw new EnrollmentException("ca-service's answer has no " + field);
    }
    return value.endsWith("\n") ? value : value + "\n";
  }

  private static @Nullable Instant notAfter(JsonNode answer) {
    try {
      String text = answer.path("not_after").asString("");
      return text.isEmpty() ? null : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  /** Writes through a temporary file created owner-only, then moves it into place. */
  private static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            tmp,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(tmp);
      }
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot create " + tmp + ": it appeared meanwhile", e);
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writePublic(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
