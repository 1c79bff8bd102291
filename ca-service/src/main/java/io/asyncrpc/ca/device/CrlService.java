package io.asyncrpc.ca.device;

import io.asyncrpc.ca.device.CertificateRepository.RevocationState;
import io.asyncrpc.ca.pki.Crl;
import io.asyncrpc.ca.pki.CrlSigner;
import io.asyncrpc.ca.pki.PkiProperties;
import io.asyncrpc.ca.pki.RevokedCertificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Keeps the published CRL in step with the database: signed at start-up, after each revocation,
 * when a revocation made by another instance shows up, and before it gets old (at half its
 * validity). Several instances may run: each builds the same list from the database.
 */
@Service
public class CrlService implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(CrlService.class);

  private final CertificateRepository certificates;
  private final CrlSigner signer;
  private final Duration refreshAfter;
  private final Clock clock = Clock.systemUTC();

  private volatile @Nullable Crl current;
  private volatile @Nullable RevocationState builtFrom;

  CrlService(CertificateRepository certificates, CrlSigner signer, PkiProperties properties) {
    this.certificates = certificates;
    this.signer = signer;
    this.refreshAfter = properties.crlValidity().dividedBy(2);
  }

  @Override
  public void run(ApplicationArguments args) {
    Crl crl = refresh();
    RevocationState state = Objects.requireNonNull(builtFrom, "refresh() has just set it");
    log.info("CRL published: {} revoked, next update {}", state.count(), crl.nextUpdate());
  }

  /** Signs and publishes a new CRL from the database now. */
  public synchronized Crl refresh() {
    List<RevokedCertificate> revoked = certificates.revoked();
    Crl crl = signer.publish(revoked);
    builtFrom = RevocationState.of(revoked);
    current = crl;
    return crl;
  }

  /** The CRL to serve: the current one, re-signed first when it is stale. */
  public Crl current() {
    Crl crl = current;
    if (crl == null
        || !certificates.revocationState().equals(builtFrom)
        || clock.instant().isAfter(crl.thisUpdate().plus(refreshAfter))) {
      return refresh();
    }
    return crl;
  }

  /** Picks up revocations of other instances in the file, and re-signs before nextUpdate. */
  @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${iot.ca.crl-check-interval:PT1M}")
  void keepFresh() {
    try {
      current();
    } catch (RuntimeException e) {
      log.warn("CRL refresh failed; the previous CRL stays published", e);
    }
  }
}
