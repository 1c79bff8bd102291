/** The device's TLS key material: PEM and PKCS#12 files turned into JSSE key and trust managers. */
@NullMarked
package io.asyncrpc.agent.internal.tls;

import org.jspecify.annotations.NullMarked;
