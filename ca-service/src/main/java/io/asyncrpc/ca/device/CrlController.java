package io.asyncrpc.ca.device;

import io.asyncrpc.ca.pki.Crl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The device CA's CRL, public: DER at {@code /crl} (the distribution point), PEM beside it. */
@RestController
@Tag(name = "crl", description = "Certificate revocation list of the device CA")
// Public: the document lists no security here, so Swagger UI sends no token.
@SecurityRequirements
class CrlController {

  static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");

  private final CrlService crl;

  CrlController(CrlService crl) {
    this.crl = crl;
  }

  @Operation(summary = "The CRL of the device CA, DER (RFC 5280)")
  @GetMapping(path = "/crl", produces = "application/pkix-crl")
  ResponseEntity<byte[]> der() {
    Crl current = crl.current();
    return ResponseEntity.ok()
        .contentType(PKIX_CRL)
        .cacheControl(cache(current))
        .body(current.der());
  }

  @Operation(summary = "The CRL of the device CA, PEM")
  @GetMapping(path = "/crl.pem", produces = "application/x-pem-file")
  ResponseEntity<String> pem() {
    Crl current = crl.current();
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/x-pem-file"))
        .cacheControl(cache(current))
        .body(current.pem());
  }

  /** Short: a revocation must reach verifiers quickly; the CRL is cheap to fetch. */
  private static CacheControl cache(Crl crl) {
    long untilNext = Duration.between(Instant.now(), crl.nextUpdate()).toSeconds();
    return CacheControl.maxAge(Duration.ofSeconds(Math.max(0, Math.min(60, untilNext))))
        .cachePublic();
  }
}
