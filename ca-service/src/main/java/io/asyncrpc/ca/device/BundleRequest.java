package io.asyncrpc.ca.device;

import io.asyncrpc.ca.pki.ServerKeys;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Options of a server-generated bundle; the body may be empty.
 *
 * @param password the PKCS#12 password; when absent one is generated and returned in the {@code
 *     Bundle-Password} header (ignored for {@code format=pem})
 * @param keyType {@code EC_P256} (default) or {@code RSA_2048}
 */
record BundleRequest(
    @Size(min = 8, max = 128, message = "must have 8 to 128 characters") @Nullable String password,
    ServerKeys.@Nullable KeyType keyType) {}
