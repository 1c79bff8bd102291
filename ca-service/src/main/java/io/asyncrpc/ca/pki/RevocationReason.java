package io.asyncrpc.ca.pki;

import org.bouncycastle.asn1.x509.CRLReason;

/**
 * Why a certificate was revoked, as the API spells it (snake_case) and as RFC 5280 codes it in the
 * CRL. Hold and removeFromCRL are left out: a revocation here is final.
 */
public enum RevocationReason {
  UNSPECIFIED(CRLReason.unspecified),
  KEY_COMPROMISE(CRLReason.keyCompromise),
  AFFILIATION_CHANGED(CRLReason.affiliationChanged),
  SUPERSEDED(CRLReason.superseded),
  CESSATION_OF_OPERATION(CRLReason.cessationOfOperation),
  PRIVILEGE_WITHDRAWN(CRLReason.privilegeWithdrawn);

  private final int code;

  RevocationReason(int code) {
    this.code = code;
  }

  /** The RFC 5280 CRLReason code. */
  public int code() {
    return code;
  }
}
