/** ca-service: signs device CSRs, revokes certificates and broker access, issues client JWTs. */
package io.asyncrpc.ca;
