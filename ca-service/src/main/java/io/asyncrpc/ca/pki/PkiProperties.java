package io.asyncrpc.ca.pki;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the PKI lives and how device certificates and the CRL are made.
 *
 * @param pkiDir directory written by {@code pki/bootstrap.sh} ({@code device-ca.pem}, {@code
 *     device-ca.key}, {@code device-ca-chain.pem}, {@code jwt-signing.key}, ...); the CRL is
 *     written to its {@code crl/device-ca.crl.pem}. Env {@code IOTCORE_PKI_DIR}.
 * @param crlUrl the CRL distribution point written into every device certificate
 * @param certificateValidity lifetime of a device certificate; never beyond the device CA's own
 * @param crlValidity how far ahead a CRL's nextUpdate lies; it is re-signed at half of it
 */
@Validated
@ConfigurationProperties("iot.ca")
public record PkiProperties(
    Path pkiDir,
    @DefaultValue("http://127.0.0.1:8082/crl") URI crlUrl,
    @DefaultValue("365d") Duration certificateValidity,
    @DefaultValue("1d") Duration crlValidity) {}
