/** ca-service: signs device CSRs, revokes certificates and broker access, issues client JWTs. */
@NullMarked
package io.asyncrpc.ca;

import org.jspecify.annotations.NullMarked;
