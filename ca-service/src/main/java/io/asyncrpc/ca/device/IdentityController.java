package io.asyncrpc.ca.device;

import io.asyncrpc.ca.pki.DeviceCa;
import io.asyncrpc.ca.pki.IssuedCertificate;
import io.asyncrpc.ca.pki.Pem;
import io.asyncrpc.ca.pki.RevocationReason;
import io.asyncrpc.ca.pki.ServerKeys;
import io.asyncrpc.ca.token.Caller;
import io.asyncrpc.web.ApiException;
import io.asyncrpc.web.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin API of device identities (scope {@code devices:admin}, the caller's tenant only). */
@RestController
@Tag(name = "identities", description = "Device certificates (scope devices:admin)")
class IdentityController {

  /** Response header carrying a generated PKCS#12 password. */
  static final String BUNDLE_PASSWORD_HEADER = "Bundle-Password";

  static final MediaType PKCS12 = MediaType.parseMediaType("application/x-pkcs12");

  private final DeviceDirectory devices;
  private final DeviceIdentities identities;
  private final BundleService bundles;
  private final DeviceCa ca;
  private final SecureRandom random = new SecureRandom();

  IdentityController(
      DeviceDirectory devices, DeviceIdentities identities, BundleService bundles, DeviceCa ca) {
    this.devices = devices;
    this.identities = identities;
    this.bundles = bundles;
    this.ca = ca;
  }

  @Operation(summary = "The device's certificates, newest first")
  @GetMapping("/api/v1/identities/{deviceId}/certificates")
  List<CertificateView> certificates(
      @PathVariable String deviceId, JwtAuthenticationToken authentication) {
    devices.requireInTenant(deviceId, Caller.of(authentication).tenant());
    return identities.certificates(deviceId).stream().map(CertificateView::of).toList();
  }

  @Operation(
      summary = "Make a key and certificate for a device that cannot make its own key",
      description =
          "format=pem (default): JSON with private_key (PKCS#8), certificate, chain. format=pkcs12:"
              + " an application/x-pkcs12 file with key, certificate and chain, protected by the"
              + " password of the body or, without one, a generated password returned in the"
              + " Bundle-Password header. The key is not kept by the service.")
  @PostMapping("/api/v1/identities/{deviceId}/bundle")
  ResponseEntity<?> bundle(
      @PathVariable String deviceId,
      @RequestParam(defaultValue = "pem") String format,
      @Valid @RequestBody(required = false) @Nullable BundleRequest request,
      JwtAuthenticationToken authentication) {
    boolean pkcs12 = "pkcs12".equals(format);
    if (!pkcs12 && !"pem".equals(format)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "invalid-parameter",
          "Invalid parameter",
          "parameter 'format' must be pem or pkcs12",
          List.of(new FieldProblem("format", "must be pem or pkcs12")));
    }
    BundleRequest options = request == null ? new BundleRequest(null, null) : request;
    ServerKeys.KeyType keyType =
        options.keyType() == null ? ServerKeys.KeyType.EC_P256 : options.keyType();
    Bundle bundle = bundles.issue(deviceId, Caller.of(authentication).tenant(), keyType);
    IssuedCertificate certificate = bundle.certificate();
    if (!pkcs12) {
      return ResponseEntity.status(HttpStatus.CREATED)
          .cacheControl(CacheControl.noStore())
          .body(
              new PemBundleView(
                  Pem.encodePkcs8(bundle.key()),
                  certificate.pem(),
                  ca.chainPem(),
                  certificate.serial(),
                  certificate.notAfter()));
    }
    String given = options.password();
    boolean generated = given == null;
    char[] password = given == null ? newPassword() : given.toCharArray();
    byte[] file =
        ServerKeys.pkcs12(deviceId, bundle.key(), certificate.certificate(), ca.chain(), password);
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(HttpStatus.CREATED)
            .contentType(PKCS12)
            .cacheControl(CacheControl.noStore())
            .header("Certificate-Serial", certificate.serial())
            .header(
                "Content-Disposition",
                ContentDisposition.attachment().filename(deviceId + ".p12").build().toString());
    if (generated) {
      response.header(BUNDLE_PASSWORD_HEADER, new String(password));
    }
    Arrays.fill(password, '\0');
    return response.body(file);
  }

  @Operation(
      summary = "Revoke a certificate",
      description =
          "Marks it REVOKED, publishes a new CRL and closes the device's live MQTT connections;"
              + " the device's broker user is deleted unless it holds another valid certificate."
              + " Idempotent: repeating it finishes a revocation whose broker step failed (503).")
  @PostMapping("/api/v1/certificates/{serial}/revocation")
  CertificateView revoke(
      @PathVariable String serial,
      @RequestBody(required = false) @Nullable RevocationRequest request,
      JwtAuthenticationToken authentication) {
    String normalized = serial.toLowerCase(Locale.ROOT);
    if (!IssuedCertificate.isSerialHex(normalized)) {
      throw new CertificateNotFoundException(serial);
    }
    RevocationReason reason = reason(request == null ? null : request.reason());
    return CertificateView.of(
        identities.revoke(normalized, Caller.of(authentication).tenant(), reason));
  }

  private static RevocationReason reason(@Nullable String text) {
    if (text == null) {
      return RevocationReason.UNSPECIFIED;
    }
    try {
      return RevocationReason.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String allowed =
          Arrays.stream(RevocationReason.values())
              .map(r -> r.name().toLowerCase(Locale.ROOT))
              .toList()
              .toString();
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "validation-failed",
          "Validation failed",
          "invalid request: 'reason' must be one of " + allowed,
          List.of(new FieldProblem("reason", "must be one of " + allowed)));
    }
  }

  private char[] newPassword() {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
  }
}
