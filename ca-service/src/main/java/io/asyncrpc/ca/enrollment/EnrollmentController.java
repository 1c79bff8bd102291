package io.asyncrpc.ca.enrollment;

import io.asyncrpc.ca.device.DeviceDirectory;
import io.asyncrpc.ca.token.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Enrollment tokens (admin) and enrollment itself (public: the token authenticates). */
@RestController
@Tag(name = "enrollment", description = "Enrollment tokens and CSR enrollment")
class EnrollmentController {

  private final DeviceDirectory devices;
  private final EnrollmentTokens tokens;
  private final Enrollment enrollment;

  EnrollmentController(DeviceDirectory devices, EnrollmentTokens tokens, Enrollment enrollment) {
    this.devices = devices;
    this.tokens = tokens;
    this.enrollment = enrollment;
  }

  @Operation(
      summary = "Make a one-time enrollment token for a device of your tenant (devices:admin)")
  @PostMapping("/api/v1/identities/{deviceId}/enrollment-tokens")
  ResponseEntity<NewEnrollmentToken> createToken(
      @PathVariable String deviceId, JwtAuthenticationToken authentication) {
    devices.requireInTenant(deviceId, Caller.of(authentication).tenant());
    return ResponseEntity.status(HttpStatus.CREATED)
        .cacheControl(CacheControl.noStore())
        .body(tokens.create(deviceId));
  }

  @Operation(
      summary = "Enroll: trade a one-time token and a CSR for a device certificate",
      description =
          "Public; the token authenticates. The CSR's subject must be CN=<the token's device id>;"
              + " keys: RSA >= 2048 or EC P-256/P-384. The token is consumed only when the"
              + " certificate is issued.")
  @SecurityRequirements // public: the token in the body authenticates
  @PostMapping("/enroll")
  ResponseEntity<EnrollmentResult> enroll(@Valid @RequestBody EnrollmentRequest request) {
    // 200 like EST's simpleenroll (RFC 7030), which device stacks already expect.
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noStore())
        .body(enrollment.enroll(request.token(), request.csr()));
  }
}
