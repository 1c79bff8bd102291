package io.asyncrpc.ca.pki;

import java.time.Instant;

/**
 * A signed CRL of the device CA.
 *
 * @param der its DER encoding ({@code application/pkix-crl})
 * @param pem its PEM text
 * @param thisUpdate when it was signed
 * @param nextUpdate when verifiers must fetch a newer one
 */
public record Crl(byte[] der, String pem, Instant thisUpdate, Instant nextUpdate) {}
