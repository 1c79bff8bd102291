package io.asyncrpc.ca.device;

import io.asyncrpc.ca.pki.IssuedCertificate;
import io.asyncrpc.ca.pki.RevocationReason;
import io.asyncrpc.ca.pki.RevokedCertificate;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code certificates} table. */
@Repository
class CertificateRepository {

  private static final String COLUMNS =
      "c.serial, c.device_id, c.subject, c.status, c.not_before, c.not_after, c.key_from_server,"
          + " c.issued_at, c.revoked_at, c.revocation_reason";

  private final JdbcClient jdbc;

  CertificateRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(String deviceId, IssuedCertificate issued, boolean keyFromServer) {
    jdbc.sql(
            "INSERT INTO certificates (serial, device_id, subject, not_before, not_after, status,"
                + " key_from_server, pem) VALUES (?, ?, ?, ?, ?, 'VALID', ?, ?)")
        .params(
            issued.serial(),
            deviceId,
            issued.subject(),
            Timestamp.from(issued.notBefore()),
            Timestamp.from(issued.notAfter()),
            keyFromServer,
            issued.pem())
        .update();
  }

  List<CertificateRecord> byDevice(String deviceId) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM certificates c WHERE c.device_id = ?"
                + " ORDER BY c.issued_at DESC, c.serial")
        .param(deviceId)
        .query(CertificateRepository::map)
        .list();
  }

  Optional<CertificateRecord> findInTenant(String serial, String tenant) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM certificates c JOIN devices d ON d.id = c.device_id"
                + " WHERE c.serial = ? AND d.tenant = ?")
        .params(serial, tenant)
        .query(CertificateRepository::map)
        .optional();
  }

  /** Marks it revoked unless it already is; the first revocation's time and reason stay. */
  void revoke(String serial, RevocationReason reason) {
    jdbc.sql(
            "UPDATE certificates SET status = 'REVOKED', revoked_at = now(),"
                + " revocation_reason = ? WHERE serial = ? AND status = 'VALID'")
        .params(reason.name().toLowerCase(Locale.ROOT), serial)
        .update();
  }

  /** Whether the device still holds a certificate that is neither revoked nor expired. */
  boolean hasUsableCertificate(String deviceId) {
    return jdbc.sql(
            "SELECT EXISTS (SELECT 1 FROM certificates WHERE device_id = ? AND status = 'VALID'"
                + " AND not_after > now())")
        .param(deviceId)
        .query(Boolean.class)
        .single();
  }

  /** Every revoked certificate, for the CRL. */
  List<RevokedCertificate> revoked() {
    return jdbc.sql(
            "SELECT serial, revoked_at, revocation_reason FROM certificates"
                + " WHERE status = 'REVOKED' ORDER BY revoked_at, serial")
        .query(
            (rs, row) ->
                new RevokedCertificate(
                    new BigInteger(rs.getString("serial"), 16),
                    rs.getTimestamp("revoked_at").toInstant(),
                    reason(rs.getString("revocation_reason"))))
        .list();
  }

  /** How many revocations there are and the latest: changes whenever the CRL must change. */
  RevocationState revocationState() {
    return jdbc.sql(
            "SELECT count(*) AS n, max(revoked_at) AS latest FROM certificates"
                + " WHERE status = 'REVOKED'")
        .query(
            (rs, row) -> {
              Timestamp latest = rs.getTimestamp("latest");
              return new RevocationState(
                  rs.getLong("n"), latest == null ? null : latest.toInstant());
            })
        .single();
  }

  /**
   * The revocations a CRL was built from.
   *
   * @param count number of revoked certificates
   * @param latest the latest revocation time, or null when there is none
   */
  record RevocationState(long count, @Nullable Instant latest) {

    static RevocationState of(List<RevokedCertificate> revoked) {
      return new RevocationState(
          revoked.size(),
          revoked.stream().map(RevokedCertificate::revokedAt).max(Instant::compareTo).orElse(null));
    }
  }

  private static RevocationReason reason(@Nullable String text) {
    try {
      return text == null
          ? RevocationReason.UNSPECIFIED
          : RevocationReason.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return RevocationReason.UNSPECIFIED;
    }
  }

  private static CertificateRecord map(ResultSet rs, int row) throws SQLException {
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new CertificateRecord(
        rs.getString("serial"),
        rs.getString("device_id"),
        rs.getString("subject"),
        rs.getString("status"),
        rs.getTimestamp("not_before").toInstant(),
        rs.getTimestamp("not_after").toInstant(),
        rs.getBoolean("key_from_server"),
        rs.getTimestamp("issued_at").toInstant(),
        revoked == null ? null : revoked.toInstant(),
        rs.getString("revocation_reason"));
  }
}
